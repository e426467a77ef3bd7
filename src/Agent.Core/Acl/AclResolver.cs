using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Consul.Core.Acl;

/// <summary>A resolved request identity: the token (null for the agent recovery token) and its authorizer.</summary>
public sealed record AclResolution(AclToken? Token, Authorizer Authorizer);

/// <summary>
/// Secret → token → compiled authorizer (Consul's ACLResolver, without remote resolution).
/// An empty secret means the anonymous token; "allow"/"deny"/"manage" are refused;
/// unknown or expired tokens are "ACL not found". The authorizer chains the token's merged
/// policies (own, roles', identities' synthetic ones, filtered by datacenter) in front of
/// the default policy. Compiled authorizers are cached by the set of (policy ID, ModifyIndex).
/// </summary>
public sealed class AclResolver
{
    /// <summary>Accessor reported for the agent recovery token, which has no stored token: "agent-recovery:&lt;node&gt;".</summary>
    public string AgentRecoveryAccessorId => "agent-recovery:" + _options.NodeName;

    private readonly IAclStore _store;
    private readonly AclResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly StaticAuthorizer _defaultAuthorizer;
    private readonly ConcurrentDictionary<string, IAuthorizer> _compiled = new(StringComparer.Ordinal);
    // Parsed rules per policy version, so a new combination of known policies skips re-parsing.
    private readonly ConcurrentDictionary<(string Id, ulong ModifyIndex), PolicyRules> _parsed = new();
    private readonly Lazy<Authorizer> _agentRecovery;
    private long _compileCount;

    public AclResolver(IAclStore store, AclResolverOptions options, TimeProvider time)
    {
        _store = store;
        _options = options;
        _time = time;
        _defaultAuthorizer = StaticAuthorizer.ForDefaultPolicy(options.DefaultPolicy);
        _agentRecovery = new Lazy<Authorizer>(BuildAgentRecovery);
    }

    /// <summary>What every request gets when ACLs are disabled (Consul resolves to manage-all).</summary>
    public static Authorizer DisabledAuthorizer { get; } = new(StaticAuthorizer.ManageAll, "");

    /// <summary>How many authorizers have been compiled (cache misses); for tests and metrics.</summary>
    public long CompileCount => Interlocked.Read(ref _compileCount);

    public int CachedAuthorizers => _compiled.Count;

    public void PurgeCache()
    {
        _compiled.Clear();
        _parsed.Clear();
    }

    public Authorizer ResolveToken(string? secretId) => Resolve(secretId).Authorizer;

    /// <exception cref="AclNotFoundException">Unknown or expired token.</exception>
    /// <exception cref="AclRootDeniedException">Secret is "allow", "deny" or "manage".</exception>
    public AclResolution Resolve(string? secretId)
    {
        var secret = string.IsNullOrEmpty(secretId) ? AclBuiltins.AnonymousTokenSecret : secretId;
        if (StaticAuthorizer.RootAuthorizer(secret) is not null) throw new AclRootDeniedException();

        if (_options.AgentRecoveryToken is { Length: > 0 } recovery && FixedTimeEquals(recovery, secret))
            return new AclResolution(null, _agentRecovery.Value);

        var token = _store.TokenBySecret(secret);
        if (token is null || token.IsExpired(_time.GetUtcNow())) throw new AclNotFoundException();

        var policies = PoliciesFor(token);
        var compiled = Compile(policies);
        return new AclResolution(token, new Authorizer(compiled, token.AccessorID));
    }

    /// <summary>All policies that apply to the token in this datacenter, deduplicated by ID, in a stable order.</summary>
    public IReadOnlyList<AclPolicy> PoliciesFor(AclToken token)
    {
        var byId = new Dictionary<string, AclPolicy>(StringComparer.Ordinal);
        void Add(AclPolicy? p)
        {
            // Missing policies (deleted after linking) are skipped, as Consul does.
            if (p is not null && p.ValidIn(_options.Datacenter)) byId.TryAdd(p.ID, p);
        }

        foreach (var id in token.PolicyIDs()) Add(_store.PolicyById(id));
        foreach (var s in token.ServiceIdentities ?? []) Add(s.SyntheticPolicy());
        foreach (var n in token.NodeIdentities ?? []) Add(n.SyntheticPolicy());
        foreach (var roleId in token.RoleIDs())
        {
            var role = _store.RoleById(roleId);
            if (role is null) continue;
            foreach (var link in role.Policies ?? []) Add(_store.PolicyById(link.ID));
            foreach (var s in role.ServiceIdentities ?? []) Add(s.SyntheticPolicy());
            foreach (var n in role.NodeIdentities ?? []) Add(n.SyntheticPolicy());
        }
        return byId.Values.OrderBy(p => p.ID, StringComparer.Ordinal).ToList();
    }

    private IAuthorizer Compile(IReadOnlyList<AclPolicy> policies)
    {
        var key = new StringBuilder();
        foreach (var p in policies) key.Append(p.ID).Append('@').Append(p.ModifyIndex).Append(';');
        var cacheKey = key.ToString();
        if (_compiled.TryGetValue(cacheKey, out var cached)) return cached;

        Interlocked.Increment(ref _compileCount);
        var authz = new ChainedAuthorizer([new PolicyAuthorizer(policies.Select(Parsed)), _defaultAuthorizer]);
        if (_compiled.Count >= _options.MaxCachedAuthorizers)
        {
            _compiled.Clear();
            _parsed.Clear();
        }
        _compiled[cacheKey] = authz;
        return authz;
    }

    private PolicyRules Parsed(AclPolicy policy) =>
        _parsed.GetOrAdd((policy.ID, policy.ModifyIndex), _ => PolicyParser.Parse(policy.Rules));

    private Authorizer BuildAgentRecovery()
    {
        var rules = new PolicyRules();
        rules.Agents.Add(new AgentRule(_options.NodeName, AccessLevels.PolicyWrite));
        rules.NodePrefixes.Add(new NodeRule("", AccessLevels.PolicyRead));
        // Always deny-by-default, whatever default_policy says.
        return new Authorizer(new ChainedAuthorizer([new PolicyAuthorizer(rules), StaticAuthorizer.DenyAll]), AgentRecoveryAccessorId);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
