namespace Consul.Core.Acl;

/// <summary>
/// Allows or denies everything (Consul's StaticAuthorizer). ACL read/write and snapshots
/// need management even under allow-all, which is why default_policy=allow still keeps
/// anonymous callers out of the ACL system.
/// </summary>
public sealed class StaticAuthorizer : IAuthorizer
{
    public static StaticAuthorizer AllowAll { get; } = new(allowManage: false, defaultAllow: true);
    public static StaticAuthorizer DenyAll { get; } = new(allowManage: false, defaultAllow: false);
    public static StaticAuthorizer ManageAll { get; } = new(allowManage: true, defaultAllow: true);

    private readonly EnforcementDecision _manage;
    private readonly EnforcementDecision _default;

    private StaticAuthorizer(bool allowManage, bool defaultAllow)
    {
        _manage = allowManage ? EnforcementDecision.Allow : EnforcementDecision.Deny;
        _default = defaultAllow ? EnforcementDecision.Allow : EnforcementDecision.Deny;
    }

    /// <summary>The authorizer for the reserved secrets "allow", "deny" and "manage", else null.</summary>
    public static StaticAuthorizer? RootAuthorizer(string? id) => id switch
    {
        "allow" => AllowAll,
        "deny" => DenyAll,
        "manage" => ManageAll,
        _ => null,
    };

    /// <summary>The authorizer behind default_policy ("allow" or "deny").</summary>
    public static StaticAuthorizer ForDefaultPolicy(string defaultPolicy) =>
        string.Equals(defaultPolicy, "allow", StringComparison.OrdinalIgnoreCase) ? AllowAll : DenyAll;

    public EnforcementDecision ACLRead() => _manage;
    public EnforcementDecision ACLWrite() => _manage;
    public EnforcementDecision AgentRead(string node) => _default;
    public EnforcementDecision AgentWrite(string node) => _default;
    public EnforcementDecision EventRead(string name) => _default;
    public EnforcementDecision EventWrite(string name) => _default;
    public EnforcementDecision IntentionDefaultAllow() => _default;
    public EnforcementDecision IntentionRead(string service) => _default;
    public EnforcementDecision IntentionWrite(string service) => _default;
    public EnforcementDecision KeyRead(string key) => _default;
    public EnforcementDecision KeyList(string key) => _default;
    public EnforcementDecision KeyWrite(string key) => _default;
    public EnforcementDecision KeyWritePrefix(string prefix) => _default;
    public EnforcementDecision KeyringRead() => _default;
    public EnforcementDecision KeyringWrite() => _default;
    public EnforcementDecision MeshRead() => _default;
    public EnforcementDecision MeshWrite() => _default;
    public EnforcementDecision PeeringRead() => _default;
    public EnforcementDecision PeeringWrite() => _default;
    public EnforcementDecision NodeRead(string name) => _default;
    public EnforcementDecision NodeReadAll() => _default;
    public EnforcementDecision NodeWrite(string name) => _default;
    public EnforcementDecision OperatorRead() => _default;
    public EnforcementDecision OperatorWrite() => _default;
    public EnforcementDecision PreparedQueryRead(string name) => _default;
    public EnforcementDecision PreparedQueryWrite(string name) => _default;
    public EnforcementDecision ServiceRead(string name) => _default;
    public EnforcementDecision ServiceReadAll() => _default;
    public EnforcementDecision ServiceWrite(string name) => _default;
    public EnforcementDecision ServiceWriteAny() => _default;
    public EnforcementDecision SessionRead(string node) => _default;
    public EnforcementDecision SessionWrite(string node) => _default;
    public EnforcementDecision Snapshot() => _manage;
}
