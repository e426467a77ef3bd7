using System.Collections.Immutable;
using System.Text.Json;
using Consul.Core.Model;
using Consul.Core.Queries;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>
/// The part of another datacenter's catalog one lookup fetched, as a snapshot the resolver reads
/// like the local one (so tags, health filtering, SRV targets and TTLs work the same), or an
/// executed prepared query. <see cref="Failed"/>: the datacenter could not be asked (SERVFAIL).
/// </summary>
public sealed record RemoteView
{
    public required string Datacenter { get; init; }
    public StateSnapshot Snapshot { get; init; } = new();
    public QueryExecution? Query { get; init; }
    /// <summary>A local prepared query's answer from the datacenter it failed over to.</summary>
    public bool FailedOver { get; init; }
    public bool Failed { get; init; }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// Reads a forwarded answer: 200 is parsed; 404 (unknown node or query) and Consul's
    /// "No path to datacenter" are empty (NXDOMAIN, as Consul answers them); anything else failed.
    /// </summary>
    public static RemoteView From(RemoteLookup lookup, RemoteReply reply)
    {
        var empty = new RemoteView { Datacenter = lookup.Datacenter };
        if (reply.Status == 404 || (reply.Status == 500 && System.Text.Encoding.UTF8.GetString(reply.Body).Contains("No path to datacenter", StringComparison.Ordinal)))
            return empty;
        if (reply.Status != 200) return empty with { Failed = true };
        try
        {
            return lookup.Kind switch
            {
                RemoteKind.Service => empty with { Snapshot = SnapshotOf(JsonSerializer.Deserialize<List<InstanceJson>>(reply.Body, Json) ?? []) },
                RemoteKind.Node => empty with { Snapshot = NodeSnapshot(JsonSerializer.Deserialize<NodeServicesJson>(reply.Body, Json)) },
                _ => QueryView(empty, JsonSerializer.Deserialize<QueryJson>(reply.Body, Json)),
            };
        }
        catch (JsonException)
        {
            return empty with { Failed = true };
        }
    }

    private static RemoteView QueryView(RemoteView empty, QueryJson? q)
    {
        if (q is null) return empty;
        var nodes = (q.Nodes ?? []).Select(Instance).OfType<ServiceInstance>().ToList();
        return empty with { Query = new QueryExecution(q.Service ?? "", nodes, q.DNS ?? new QueryDns(), q.Datacenter ?? empty.Datacenter, q.Failovers) };
    }

    private static StateSnapshot NodeSnapshot(NodeServicesJson? n)
    {
        if (n?.Node is null) return new StateSnapshot();
        var node = Clean(n.Node);
        var services = (n.Services ?? []).Values.Select(Clean).Select(s => new ServiceInstance(node, s, []));
        return Build([new ServiceInstance(node, new NodeService(), [])], services);
    }

    /// <summary>A /v1/health/service answer's instances; throws <see cref="JsonException"/> on a malformed one.</summary>
    public static List<ServiceInstance> Instances(byte[] healthServiceJson) =>
        (JsonSerializer.Deserialize<List<InstanceJson>>(healthServiceJson, Json) ?? []).Select(Instance).OfType<ServiceInstance>().ToList();

    private static StateSnapshot SnapshotOf(List<InstanceJson> instances) =>
        Build([], instances.Select(Instance).OfType<ServiceInstance>());

    /// <summary>A snapshot holding these nodes, services and checks (the first list contributes nodes only).</summary>
    public static StateSnapshot Build(IEnumerable<ServiceInstance> nodesOnly, IEnumerable<ServiceInstance> instances)
    {
        var nodes = ImmutableSortedDictionary.CreateBuilder<string, Node>(StateSnapshot.NodeOrder);
        var services = new Dictionary<string, ImmutableSortedDictionary<string, NodeService>.Builder>(StringComparer.OrdinalIgnoreCase);
        var checks = new Dictionary<string, ImmutableSortedDictionary<string, HealthCheck>.Builder>(StringComparer.OrdinalIgnoreCase);
        var serviceNodes = new Dictionary<string, ImmutableSortedSet<string>.Builder>(StringComparer.Ordinal);
        foreach (var i in nodesOnly) nodes[i.Node.Name] = i.Node;
        foreach (var i in instances)
        {
            var name = i.Node.Name;
            nodes[name] = i.Node;
            if (!services.TryGetValue(name, out var onNode)) services[name] = onNode = ImmutableSortedDictionary.CreateBuilder<string, NodeService>(StringComparer.Ordinal);
            onNode[i.Service.ID] = i.Service;
            if (!serviceNodes.TryGetValue(i.Service.Service, out var set)) serviceNodes[i.Service.Service] = set = ImmutableSortedSet.CreateBuilder(StateSnapshot.NodeOrder);
            set.Add(name);
            if (!checks.TryGetValue(name, out var nodeChecks)) checks[name] = nodeChecks = ImmutableSortedDictionary.CreateBuilder<string, HealthCheck>(StringComparer.Ordinal);
            foreach (var c in i.Checks) nodeChecks[c.CheckID] = c;
        }
        return new StateSnapshot
        {
            Nodes = nodes.ToImmutable(),
            Services = services.ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutable(), StateSnapshot.NodeOrder),
            Checks = checks.ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutable(), StateSnapshot.NodeOrder),
            ServiceNodes = serviceNodes.ToImmutableSortedDictionary(p => p.Key, p => p.Value.ToImmutable(), StringComparer.Ordinal),
        };
    }

    private static ServiceInstance? Instance(InstanceJson i) =>
        i.Node is null || i.Service is null ? null : new ServiceInstance(Clean(i.Node), Clean(i.Service), (i.Checks ?? []).Select(Clean).ToList());

    // JSON nulls become empty collections, as the local catalog holds them.
    private static Node Clean(Node n) => n with { TaggedAddresses = n.TaggedAddresses ?? [], Meta = n.Meta ?? [] };

    private static NodeService Clean(NodeService s) => s with
    {
        Tags = s.Tags ?? [], TaggedAddresses = s.TaggedAddresses ?? [], Meta = s.Meta ?? [], Weights = s.Weights ?? new Weights(),
    };

    private static HealthCheck Clean(HealthCheck c) => c with { ServiceTags = c.ServiceTags ?? [] };

    private sealed record InstanceJson(Node? Node, NodeService? Service, List<HealthCheck>? Checks);
    private sealed record NodeServicesJson(Node? Node, Dictionary<string, NodeService>? Services);
    private sealed record QueryJson(string? Service, List<InstanceJson>? Nodes, QueryDns? DNS, string? Datacenter, int Failovers);
}
