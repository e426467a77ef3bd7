namespace Consul.Core.Acl;

/// <summary>
/// Merges the rules of several policies into one, as Consul's PolicyMerger: where two
/// policies name the same segment (exact or prefix) the rule that takes precedence wins
/// (deny &gt; write &gt; list &gt; read); service policy and intentions are merged separately.
/// </summary>
public static class PolicyMerger
{
    public static PolicyRules Merge(IEnumerable<PolicyRules> policies)
    {
        var merged = new PolicyRules();
        var agents = new Dictionary<string, AgentRule>();
        var agentPrefixes = new Dictionary<string, AgentRule>();
        var keys = new Dictionary<string, KeyRule>();
        var keyPrefixes = new Dictionary<string, KeyRule>();
        var nodes = new Dictionary<string, NodeRule>();
        var nodePrefixes = new Dictionary<string, NodeRule>();
        var services = new Dictionary<string, ServiceRule>();
        var servicePrefixes = new Dictionary<string, ServiceRule>();
        var sessions = new Dictionary<string, SessionRule>();
        var sessionPrefixes = new Dictionary<string, SessionRule>();
        var events = new Dictionary<string, EventRule>();
        var eventPrefixes = new Dictionary<string, EventRule>();
        var queries = new Dictionary<string, PreparedQueryRule>();
        var queryPrefixes = new Dictionary<string, PreparedQueryRule>();

        foreach (var p in policies)
        {
            if (AccessLevels.TakesPrecedenceOver(p.Acl, merged.Acl)) merged.Acl = p.Acl;
            if (AccessLevels.TakesPrecedenceOver(p.Keyring, merged.Keyring)) merged.Keyring = p.Keyring;
            if (AccessLevels.TakesPrecedenceOver(p.Operator, merged.Operator)) merged.Operator = p.Operator;
            if (AccessLevels.TakesPrecedenceOver(p.Mesh, merged.Mesh)) merged.Mesh = p.Mesh;
            if (AccessLevels.TakesPrecedenceOver(p.Peering, merged.Peering)) merged.Peering = p.Peering;
            MergeInto(agents, p.Agents);
            MergeInto(agentPrefixes, p.AgentPrefixes);
            MergeInto(keys, p.Keys);
            MergeInto(keyPrefixes, p.KeyPrefixes);
            MergeInto(nodes, p.Nodes);
            MergeInto(nodePrefixes, p.NodePrefixes);
            MergeServices(services, p.Services);
            MergeServices(servicePrefixes, p.ServicePrefixes);
            MergeInto(sessions, p.Sessions);
            MergeInto(sessionPrefixes, p.SessionPrefixes);
            MergeInto(events, p.Events);
            MergeInto(eventPrefixes, p.EventPrefixes);
            MergeInto(queries, p.PreparedQueries);
            MergeInto(queryPrefixes, p.PreparedQueryPrefixes);
        }

        merged.Agents.AddRange(agents.Values);
        merged.AgentPrefixes.AddRange(agentPrefixes.Values);
        merged.Keys.AddRange(keys.Values);
        merged.KeyPrefixes.AddRange(keyPrefixes.Values);
        merged.Nodes.AddRange(nodes.Values);
        merged.NodePrefixes.AddRange(nodePrefixes.Values);
        merged.Services.AddRange(services.Values);
        merged.ServicePrefixes.AddRange(servicePrefixes.Values);
        merged.Sessions.AddRange(sessions.Values);
        merged.SessionPrefixes.AddRange(sessionPrefixes.Values);
        merged.Events.AddRange(events.Values);
        merged.EventPrefixes.AddRange(eventPrefixes.Values);
        merged.PreparedQueries.AddRange(queries.Values);
        merged.PreparedQueryPrefixes.AddRange(queryPrefixes.Values);
        return merged;
    }

    private static void MergeInto<T>(Dictionary<string, T> into, List<T> rules) where T : SegmentRule
    {
        foreach (var rule in rules)
        {
            if (!into.TryGetValue(rule.Segment, out var existing) ||
                AccessLevels.TakesPrecedenceOver(rule.Policy, existing.Policy))
                into[rule.Segment] = rule;
        }
    }

    private static void MergeServices(Dictionary<string, ServiceRule> into, List<ServiceRule> rules)
    {
        foreach (var rule in rules)
        {
            if (!into.TryGetValue(rule.Name, out var existing))
            {
                into[rule.Name] = rule;
                continue;
            }
            var policy = AccessLevels.TakesPrecedenceOver(rule.Policy, existing.Policy) ? rule.Policy : existing.Policy;
            var intentions = AccessLevels.TakesPrecedenceOver(rule.Intentions, existing.Intentions)
                ? rule.Intentions : existing.Intentions;
            into[rule.Name] = existing with { Policy = policy, Intentions = intentions };
        }
    }
}
