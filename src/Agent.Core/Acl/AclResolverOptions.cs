namespace Consul.Core.Acl;

/// <summary>The agent's ACL settings the resolver needs (acl.default_policy, datacenter, acl.tokens.agent_recovery).</summary>
public sealed record AclResolverOptions
{
    /// <summary>"allow" or "deny": what happens when no rule of the token decides.</summary>
    public string DefaultPolicy { get; init; } = "allow";

    /// <summary>Local datacenter; policies and identities limited to other datacenters are ignored.</summary>
    public string Datacenter { get; init; } = "dc1";

    /// <summary>This agent's node name, for the agent recovery token's grant.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>acl.tokens.agent_recovery: works without servers, grants agent:write on this node and node:read.</summary>
    public string? AgentRecoveryToken { get; init; }

    /// <summary>Upper bound on cached compiled authorizers before the cache is reset.</summary>
    public int MaxCachedAuthorizers { get; init; } = 10_000;
}
