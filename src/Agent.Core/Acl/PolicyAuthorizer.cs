namespace Consul.Core.Acl;

/// <summary>
/// Authorizer compiled from one or more policies (Consul's policyAuthorizer): policies are
/// merged first, then each check uses the exact rule for the name, else the longest prefix
/// rule; with no rule it answers Default so a chained authorizer can decide.
/// </summary>
public sealed class PolicyAuthorizer : IAuthorizer
{
    private readonly RuleTable _agents = new();
    private readonly RuleTable _intentions = new();
    private readonly RuleTable _keys = new();
    private readonly RuleTable _nodes = new();
    private readonly RuleTable _services = new();
    private readonly RuleTable _sessions = new();
    private readonly RuleTable _events = new();
    private readonly RuleTable _queries = new();
    private readonly AccessLevel? _acl;
    private readonly AccessLevel? _keyring;
    private readonly AccessLevel? _operator;
    private readonly AccessLevel? _mesh;
    private readonly AccessLevel? _peering;

    public PolicyAuthorizer(IEnumerable<PolicyRules> policies) : this(PolicyMerger.Merge(policies))
    {
    }

    /// <summary>Builds from already merged (or single) rules.</summary>
    public PolicyAuthorizer(PolicyRules rules)
    {
        Load(_agents, rules.Agents, false);
        Load(_agents, rules.AgentPrefixes, true);
        Load(_keys, rules.Keys, false);
        Load(_keys, rules.KeyPrefixes, true);
        Load(_nodes, rules.Nodes, false);
        Load(_nodes, rules.NodePrefixes, true);
        LoadServices(rules.Services, false);
        LoadServices(rules.ServicePrefixes, true);
        Load(_sessions, rules.Sessions, false);
        Load(_sessions, rules.SessionPrefixes, true);
        Load(_events, rules.Events, false);
        Load(_events, rules.EventPrefixes, true);
        Load(_queries, rules.PreparedQueries, false);
        Load(_queries, rules.PreparedQueryPrefixes, true);
        _acl = Scalar(rules.Acl);
        _keyring = Scalar(rules.Keyring);
        _operator = Scalar(rules.Operator);
        _mesh = Scalar(rules.Mesh);
        _peering = Scalar(rules.Peering);
    }

    private static AccessLevel? Scalar(string policy) => policy == "" ? null : Level(policy);

    private static AccessLevel Level(string policy)
    {
        var level = AccessLevels.Parse(policy);
        if (level == AccessLevel.Unknown)
            throw new AclPolicyParseException($"\"{policy}\" is not a valid access level");
        return level;
    }

    private static void Load<T>(RuleTable table, List<T> rules, bool prefix) where T : SegmentRule
    {
        foreach (var r in rules) table.Insert(r.Segment, Level(r.Policy), prefix);
    }

    private void LoadServices(List<ServiceRule> rules, bool prefix)
    {
        foreach (var r in rules)
        {
            _services.Insert(r.Name, Level(r.Policy), prefix);
            // Without an explicit intentions policy, read/write on the service grants intentions read.
            var intention = r.Intentions != ""
                ? r.Intentions
                : AccessLevels.Parse(r.Policy) is AccessLevel.Read or AccessLevel.Write ? AccessLevels.PolicyRead : AccessLevels.PolicyDeny;
            _intentions.Insert(r.Name, Level(intention), prefix);
        }
    }

    /// <summary>Consul's enforce: what a rule's access level says about a required level.</summary>
    internal static EnforcementDecision Enforce(AccessLevel rule, AccessLevel required) => rule switch
    {
        AccessLevel.Write => EnforcementDecision.Allow,
        AccessLevel.List => required is AccessLevel.List or AccessLevel.Read ? EnforcementDecision.Allow : EnforcementDecision.Deny,
        AccessLevel.Read => required == AccessLevel.Read ? EnforcementDecision.Allow : EnforcementDecision.Deny,
        AccessLevel.Deny => EnforcementDecision.Deny,
        _ => EnforcementDecision.Default,
    };

    private static EnforcementDecision Check(RuleTable table, string name, AccessLevel required) =>
        table.TryGet(name, out var rule) ? Enforce(rule, required) : EnforcementDecision.Default;

    private static EnforcementDecision Check(AccessLevel? rule, AccessLevel required) =>
        rule is { } r ? Enforce(r, required) : EnforcementDecision.Default;

    private static EnforcementDecision LeafDecision(RuleTable.Leaf leaf, AccessLevel required, bool prefixOnly, bool forAll)
    {
        var prefixDecision = leaf.Prefix is { } p ? Enforce(p, required) : EnforcementDecision.Default;
        if (prefixOnly || leaf.Exact is not { } exact) return prefixDecision;
        if (forAll)
        {
            if (prefixDecision == EnforcementDecision.Deny) return prefixDecision;
            var d = Enforce(exact, required);
            return d == EnforcementDecision.Default ? prefixDecision : d;
        }
        if (prefixDecision == EnforcementDecision.Allow) return prefixDecision;
        return Enforce(exact, required);
    }

    /// <summary>Allow if any rule grants the access; a catch-all "" prefix deny makes the default Deny.</summary>
    private static EnforcementDecision AnyAllowed(RuleTable table, AccessLevel required)
    {
        var decision = EnforcementDecision.Default;
        if (table.Get("") is { } root)
        {
            decision = LeafDecision(root, required, prefixOnly: true, forAll: false);
            if (decision == EnforcementDecision.Allow) return decision;
        }
        foreach (var leaf in table.All)
            if (LeafDecision(leaf, required, prefixOnly: false, forAll: false) == EnforcementDecision.Allow)
                return EnforcementDecision.Allow;
        return decision;
    }

    /// <summary>Deny if any rule refuses the access; Allow only via a catch-all "" prefix grant.</summary>
    private static EnforcementDecision AllAllowed(RuleTable table, AccessLevel required)
    {
        var decision = EnforcementDecision.Default;
        if (table.Get("") is { } root)
        {
            decision = LeafDecision(root, required, prefixOnly: true, forAll: true);
            if (decision == EnforcementDecision.Deny) return decision;
        }
        foreach (var leaf in table.All)
            if (LeafDecision(leaf, required, prefixOnly: false, forAll: true) == EnforcementDecision.Deny)
                return EnforcementDecision.Deny;
        return decision;
    }

    public EnforcementDecision ACLRead() => Check(_acl, AccessLevel.Read);
    public EnforcementDecision ACLWrite() => Check(_acl, AccessLevel.Write);
    public EnforcementDecision AgentRead(string node) => Check(_agents, node, AccessLevel.Read);
    public EnforcementDecision AgentWrite(string node) => Check(_agents, node, AccessLevel.Write);
    public EnforcementDecision EventRead(string name) => Check(_events, name, AccessLevel.Read);
    public EnforcementDecision EventWrite(string name) => Check(_events, name, AccessLevel.Write);
    public EnforcementDecision IntentionDefaultAllow() => EnforcementDecision.Default;

    public EnforcementDecision IntentionRead(string service) =>
        service == "*" ? AnyAllowed(_intentions, AccessLevel.Read) : Check(_intentions, service, AccessLevel.Read);

    public EnforcementDecision IntentionWrite(string service) =>
        service == "*" ? AllAllowed(_intentions, AccessLevel.Write) : Check(_intentions, service, AccessLevel.Write);

    public EnforcementDecision KeyRead(string key) => Check(_keys, key, AccessLevel.Read);
    public EnforcementDecision KeyList(string key) => Check(_keys, key, AccessLevel.List);
    public EnforcementDecision KeyWrite(string key) => Check(_keys, key, AccessLevel.Write);

    public EnforcementDecision KeyWritePrefix(string prefix)
    {
        // The longest prefix rule covering the prefix itself must grant write ...
        var baseAccess = _keys.LongestPrefixRule(prefix) switch
        {
            null => EnforcementDecision.Default,
            AccessLevel.Write => EnforcementDecision.Allow,
            _ => EnforcementDecision.Deny,
        };
        if (baseAccess == EnforcementDecision.Deny) return baseAccess;
        // ... and no rule (exact or prefix) inside it may grant less than write.
        foreach (var leaf in _keys.Under(prefix))
        {
            if (leaf.Prefix is { } p && p != AccessLevel.Write) return EnforcementDecision.Deny;
            if (leaf.Exact is { } e && e != AccessLevel.Write) return EnforcementDecision.Deny;
        }
        return baseAccess;
    }

    public EnforcementDecision KeyringRead() => Check(_keyring, AccessLevel.Read);
    public EnforcementDecision KeyringWrite() => Check(_keyring, AccessLevel.Write);
    // Mesh and peering fall back to operator when the policy says nothing about them.
    public EnforcementDecision MeshRead() => _mesh is null ? OperatorRead() : Check(_mesh, AccessLevel.Read);
    public EnforcementDecision MeshWrite() => _mesh is null ? OperatorWrite() : Check(_mesh, AccessLevel.Write);
    public EnforcementDecision PeeringRead() => _peering is null ? OperatorRead() : Check(_peering, AccessLevel.Read);
    public EnforcementDecision PeeringWrite() => _peering is null ? OperatorWrite() : Check(_peering, AccessLevel.Write);
    public EnforcementDecision NodeRead(string name) => Check(_nodes, name, AccessLevel.Read);
    public EnforcementDecision NodeReadAll() => AllAllowed(_nodes, AccessLevel.Read);
    public EnforcementDecision NodeWrite(string name) => Check(_nodes, name, AccessLevel.Write);
    public EnforcementDecision OperatorRead() => Check(_operator, AccessLevel.Read);
    public EnforcementDecision OperatorWrite() => Check(_operator, AccessLevel.Write);
    public EnforcementDecision PreparedQueryRead(string name) => Check(_queries, name, AccessLevel.Read);
    public EnforcementDecision PreparedQueryWrite(string name) => Check(_queries, name, AccessLevel.Write);
    public EnforcementDecision ServiceRead(string name) => Check(_services, name, AccessLevel.Read);
    public EnforcementDecision ServiceReadAll() => AllAllowed(_services, AccessLevel.Read);
    public EnforcementDecision ServiceWrite(string name) => Check(_services, name, AccessLevel.Write);
    public EnforcementDecision ServiceWriteAny() => AnyAllowed(_services, AccessLevel.Write);
    public EnforcementDecision SessionRead(string node) => Check(_sessions, node, AccessLevel.Read);
    public EnforcementDecision SessionWrite(string node) => Check(_sessions, node, AccessLevel.Write);
    public EnforcementDecision Snapshot() => Check(_acl, AccessLevel.Write);
}
