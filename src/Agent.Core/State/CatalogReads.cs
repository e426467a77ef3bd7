using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>A service instance joined with its node (Consul's ServiceNode / CheckServiceNode parts).</summary>
public sealed record ServiceInstance(Node Node, NodeService Service, IReadOnlyList<HealthCheck> Checks)
{
    /// <summary>Worst status of the instance's checks (passing when it has none).</summary>
    public string AggregateStatus => Checks.Aggregate(HealthStatus.Passing, (acc, c) => HealthStatus.Worst(acc, c.Status));
}

/// <summary>Catalog and health reads with Consul's index rules.</summary>
public static class CatalogReads
{
    public static readonly string[] NodeTables = [Tables.Nodes];
    public static readonly string[] ServiceTables = [Tables.Nodes, Tables.Services];
    public static readonly string[] HealthTables = [Tables.Nodes, Tables.Services, Tables.Checks];
    public static readonly string[] CheckTables = [Tables.Checks];

    public static QueryResult<List<Node>> Nodes(StateSnapshot s) =>
        new(s.MaxIndex(Tables.Nodes), s.Nodes.Values.ToList());

    /// <summary>Service names with the union of their tags.</summary>
    public static QueryResult<SortedDictionary<string, SortedSet<string>>> Services(StateSnapshot s)
    {
        var result = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (name, _) in s.ServiceNodes)
        {
            var tags = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (_, svc) in s.Instances(name)) tags.UnionWith(svc.Tags);
            result[name] = tags;
        }
        return new(s.MaxIndex(Tables.Nodes, Tables.Services), result);
    }

    /// <summary>Index for one service name: its own index if it exists, else the tables' max (maxIndexForService).</summary>
    public static ulong ServiceIndex(StateSnapshot s, string name, bool withChecks) =>
        s.ServiceIndexes.TryGetValue(name, out var idx) && idx != 0
            ? idx
            : withChecks ? s.MaxIndex(Tables.Nodes, Tables.Services, Tables.Checks) : s.MaxIndex(Tables.Nodes, Tables.Services);

    public static QueryResult<List<ServiceInstance>> ServiceInstances(StateSnapshot s, string name, bool withChecks)
    {
        var list = s.Instances(name)
            .Select(x => new ServiceInstance(x.Node, x.Service,
                withChecks ? s.ChecksFor(x.Node.Name, x.Service.ID).ToList() : []))
            .ToList();
        return new(ServiceIndex(s, name, withChecks), list);
    }

    public static QueryResult<(Node? Node, List<NodeService> Services)> NodeServices(StateSnapshot s, string node)
    {
        s.Nodes.TryGetValue(node, out var n);
        return new(s.MaxIndex(Tables.Nodes, Tables.Services), (n, n is null ? [] : s.ServicesOn(node).ToList()));
    }

    public static QueryResult<List<HealthCheck>> NodeChecks(StateSnapshot s, string node) =>
        new(s.MaxIndex(Tables.Checks), s.ChecksOn(node).ToList());

    public static QueryResult<List<HealthCheck>> ServiceChecks(StateSnapshot s, string service) =>
        new(s.MaxIndex(Tables.Checks),
            s.Checks.Values.SelectMany(c => c.Values).Where(c => c.ServiceName == service).ToList());

    public static QueryResult<List<HealthCheck>> ChecksInState(StateSnapshot s, string state) =>
        new(s.MaxIndex(Tables.Checks),
            s.Checks.Values.SelectMany(c => c.Values).Where(c => state == HealthStatus.Any || c.Status == state).ToList());
}
