using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Queries;

/// <summary>What executing a prepared query found (Consul's PreparedQueryExecuteResponse).</summary>
public sealed record QueryExecution(string Service, List<ServiceInstance> Nodes, QueryDns DNS, string Datacenter, int Failovers);

/// <summary>
/// Runs a resolved prepared query against the local catalog as Consul's PreparedQuery.Execute
/// does: health filter (critical, or not passing with OnlyPassing, ignoring IgnoreCheckIDs),
/// node-meta, service-meta and tag filters, ACL filter, shuffle, sort by estimated RTT from the
/// "near" node (network coordinates), that node first, limit. Failover to other datacenters
/// when nothing is found here: <see cref="PreparedQueryFailover"/>.
/// </summary>
public static class PreparedQueryExecution
{
    /// <param name="canRead">Whether the executing token may see an instance (node:read and service:read).</param>
    /// <param name="nearNode">Node to sort by distance from and put first (the agent's node for "_agent"), or empty.</param>
    public static QueryExecution Execute(StateSnapshot s, PreparedQuery query, string datacenter,
        Func<Node, NodeService, bool> canRead, Random random, string nearNode = "", int limit = 0)
    {
        var instances = s.Instances(query.Service.Service)
            .Select(i => new ServiceInstance(i.Node, i.Service, s.ChecksFor(i.Node.Name, i.Service.ID).ToList()));
        var nodes = Filter(query.Service, instances, canRead);
        // Shuffled first, so equal distances (or no coordinates at all) still spread the load.
        Shuffle(nodes, random);
        RttSort.ByDistanceFrom(s, nearNode, nodes, n => n.Node.Name);
        if (nearNode != "")
        {
            // Consul moves the source node to the front if it is among the first ten.
            var i = nodes.FindIndex(0, Math.Min(nodes.Count, 10), n => string.Equals(n.Node.Name, nearNode, StringComparison.OrdinalIgnoreCase));
            if (i > 0) (nodes[0], nodes[i]) = (nodes[i], nodes[0]);
        }
        Limit(nodes, limit);
        return new QueryExecution(query.Service.Service, nodes, query.DNS, datacenter, 0);
    }

    /// <summary>
    /// Consul's ExecuteRemote: the query run in another datacenter over that datacenter's
    /// instances of the service (already filtered there by the token); shuffled, not sorted,
    /// since coordinates do not compare across datacenters.
    /// </summary>
    public static QueryExecution ExecuteOn(IEnumerable<ServiceInstance> instances, PreparedQuery query, string datacenter, Random random, int limit = 0)
    {
        var nodes = Filter(query.Service, instances.Where(i => string.Equals(i.Service.Service, query.Service.Service, StringComparison.OrdinalIgnoreCase)),
            (_, _) => true);
        Shuffle(nodes, random);
        Limit(nodes, limit);
        return new QueryExecution(query.Service.Service, nodes, query.DNS, datacenter, 0);
    }

    private static List<ServiceInstance> Filter(ServiceQuery svc, IEnumerable<ServiceInstance> instances, Func<Node, NodeService, bool> canRead)
    {
        var ignored = new HashSet<string>(svc.IgnoreCheckIDs ?? [], StringComparer.Ordinal);
        var nodes = new List<ServiceInstance>();
        foreach (var i in instances)
        {
            if (!Healthy(i.Checks, svc.OnlyPassing, ignored)) continue;
            if (!MetaMatches(i.Node.Meta, svc.NodeMeta) || !MetaMatches(i.Service.Meta, svc.ServiceMeta)) continue;
            if (!TagsMatch(i.Service.Tags, svc.Tags)) continue;
            if (!canRead(i.Node, i.Service)) continue;
            nodes.Add(i);
        }
        return nodes;
    }

    private static void Limit(List<ServiceInstance> nodes, int limit)
    {
        if (limit > 0 && nodes.Count > limit) nodes.RemoveRange(limit, nodes.Count - limit);
    }

    /// <summary>Consul's CheckServiceNodes.FilterIgnore.</summary>
    private static bool Healthy(IReadOnlyList<HealthCheck> checks, bool onlyPassing, HashSet<string> ignored)
    {
        foreach (var c in checks)
        {
            if (ignored.Contains(c.CheckID)) continue;
            if (c.Status == HealthStatus.Critical || (onlyPassing && c.Status != HealthStatus.Passing)) return false;
        }
        return true;
    }

    private static bool MetaMatches(Dictionary<string, string>? actual, Dictionary<string, string>? wanted)
    {
        if (wanted is null || wanted.Count == 0) return true;
        foreach (var (k, v) in wanted)
            if (actual is null || !actual.TryGetValue(k, out var got) || got != v) return false;
        return true;
    }

    /// <summary>Consul's tagFilter: every plain tag present and no "!tag" present, ignoring case.</summary>
    private static bool TagsMatch(IEnumerable<string> serviceTags, List<string>? filter)
    {
        if (filter is null || filter.Count == 0) return true;
        var have = new HashSet<string>(serviceTags, StringComparer.OrdinalIgnoreCase);
        foreach (var tag in filter)
        {
            if (tag.StartsWith('!')) { if (have.Contains(tag[1..])) return false; }
            else if (!have.Contains(tag)) return false;
        }
        return true;
    }

    // The framework's shuffle; the lock because a resolver's seeded Random is shared across lookups.
    private static void Shuffle<T>(List<T> items, Random random)
    {
        lock (random) random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(items));
    }
}
