using Consul.Core.Acl;

namespace Consul.Core.Dns;

/// <summary>
/// What the agent's DNS token lets DNS reveal. Consul answers DNS through the catalog and
/// health RPCs with acl.tokens.dns (else the default token, else anonymous), so results are
/// filtered as those RPCs filter them: an instance needs node:read on its node and
/// service:read on its service, a node needs node:read. A token that does not resolve makes
/// the RPC fail: service and node lookups answer SERVFAIL, PTR and NS find nothing.
/// </summary>
public sealed class DnsAccess
{
    private readonly Authorizer? _authorizer;

    private DnsAccess(Authorizer? authorizer, bool tokenNotFound)
    {
        _authorizer = authorizer;
        TokenNotFound = tokenNotFound;
    }

    /// <summary>ACLs disabled: everything is visible.</summary>
    public static DnsAccess Unrestricted { get; } = new(null, false);

    /// <summary>The DNS token is unknown or expired ("ACL not found").</summary>
    public static DnsAccess NotFound { get; } = new(null, true);

    public static DnsAccess For(Authorizer authorizer) => new(authorizer, false);

    /// <summary>Lookups fail (Consul's RPC returns "ACL not found").</summary>
    public bool TokenNotFound { get; }

    public bool NodeRead(string node) => _authorizer is { } a ? a.NodeRead(node) : !TokenNotFound;

    public bool ServiceRead(string service) => _authorizer is { } a ? a.ServiceRead(service) : !TokenNotFound;

    /// <summary>Consul's filterCheckServiceNodes / filterServiceNodes rule for one instance.</summary>
    public bool InstanceRead(string node, string service) => NodeRead(node) && ServiceRead(service);

    /// <summary>
    /// Identity of the permissions for the answer cache: accesses with the same key see the same
    /// answers. Authorizers compiled from the same policy versions share their inner chain.
    /// </summary>
    public object CacheKey => (object?)_authorizer?.Inner ?? this;
}
