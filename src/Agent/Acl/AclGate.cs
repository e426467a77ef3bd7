using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Acl;

/// <summary>
/// Turns the secret a request carries into an <see cref="Authorizer"/>. Every agent resolves
/// tokens against its own copy of the ACL tables: servers read the Raft state, client agents
/// the replica fed by a server (so the replica is the token cache; see <see cref="ServersReachable"/>
/// for down_policy). With ACLs disabled everything resolves to manage-all, as in Consul.
/// </summary>
public sealed class AclGate
{
    private const string ItemKey = "consul.acl.authorizer";
    private readonly AclConfig _config;
    private readonly Func<AclResolver> _newResolver;
    private volatile Lazy<AclResolver> _resolver;

    public AclGate(AgentConfig config, StateStore store, TimeProvider time, AgentTokens tokens)
    {
        _config = config.Acl;
        Tokens = tokens;
        _newResolver = () => new AclResolver(new StateAclStore(store), new AclResolverOptions
        {
            DefaultPolicy = _config.DefaultPolicy == "deny" ? "deny" : "allow",
            Datacenter = config.Datacenter,
            NodeName = config.NodeName,
            AgentRecoveryToken = tokens.AgentRecovery,
        }, time);
        _resolver = new Lazy<AclResolver>(_newResolver);
        // The recovery token is part of the resolver's options: a new one (PUT /v1/agent/token/agent_recovery) needs a new resolver.
        tokens.Changed += kind =>
        {
            if (kind == AgentTokens.AgentRecoveryKind) _resolver = new Lazy<AclResolver>(_newResolver);
        };
    }

    public bool Enabled => _config.Enabled;

    public AgentTokens Tokens { get; }

    public AclResolver Resolver => _resolver.Value;

    /// <summary>
    /// Whether this agent's copy of the ACL tables is current (a client whose servers vanished
    /// says no). When false, acl.down_policy decides: "allow" permits all, "deny" denies all but
    /// the agent recovery token, "extend-cache"/"async-cache" keep using the last known tables.
    /// </summary>
    public Func<bool> ServersReachable { get; set; } = () => true;

    /// <summary>The authorizer for a secret; an empty secret means the agent's default token (then anonymous).</summary>
    /// <exception cref="ApiException">403 "ACL not found" for unknown or expired tokens.</exception>
    public Authorizer Resolve(string? secret)
    {
        if (!Enabled) return AclResolver.DisabledAuthorizer;
        if (string.IsNullOrEmpty(secret)) secret = Tokens.Default;
        var reachable = ServersReachable();
        if (!reachable && !IsAgentRecovery(secret))
        {
            switch (_config.DownPolicy)
            {
                case "allow": return new Authorizer(StaticAuthorizer.AllowAll, "");
                case "deny": return new Authorizer(StaticAuthorizer.DenyAll, "");
            }
        }
        try
        {
            return Resolver.ResolveToken(secret);
        }
        catch (AclNotFoundException e)
        {
            // extend-cache/async-cache with stale tables: a token they do not know gets Consul's
            // down authorizer for these policies, the default policy (it may be newer than the copy).
            if (!reachable) return new Authorizer(StaticAuthorizer.ForDefaultPolicy(_config.DefaultPolicy), "");
            throw new ApiException(StatusCodes.Status403Forbidden, e.Message);
        }
        catch (AclRootDeniedException e)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, e.Message);
        }
    }

    /// <summary>The request's authorizer (?token, X-Consul-Token, Bearer), resolved once per request.</summary>
    public Authorizer ForRequest(HttpContext ctx)
    {
        var secret = QueryOptions.ParseToken(ctx.Request);
        if (!ctx.Items.TryGetValue(ItemKey, out var cached) || cached is not Authorizer resolved)
        {
            resolved = Resolve(secret);
            ctx.Items[ItemKey] = resolved;
        }
        // Writes this request forwards to a server carry the requester's token (not just the agent's).
        // Set on every call: the value is async-local, so one set inside a helper that has returned is gone.
        if (Enabled && secret.Length > 0 && resolved.AccessorID.Length > 0 && resolved.AccessorID != AclBuiltins.AnonymousTokenId)
            Consul.Core.Rpc.RpcCallerToken.Current = secret;
        return resolved;
    }

    /// <summary>What the agent itself may do (acl.tokens.agent, else default).</summary>
    public Authorizer ForAgent() => ResolveOrDeny(Tokens.Agent);

    /// <summary>What DNS may reveal (acl.tokens.dns, else default).</summary>
    public Authorizer ForDns() => ResolveOrDeny(Tokens.Dns);

    /// <summary>Like <see cref="Resolve"/> but an invalid configured token denies everything instead of throwing.</summary>
    public Authorizer ResolveOrDeny(string? secret)
    {
        try
        {
            return Resolve(secret);
        }
        catch (ApiException)
        {
            return new Authorizer(StaticAuthorizer.DenyAll, "");
        }
    }

    private bool IsAgentRecovery(string secret) => Tokens.AgentRecovery is { Length: > 0 } r && r == secret;
}
