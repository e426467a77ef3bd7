using System.Collections.Immutable;
using Consul.Core.Acl;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>
/// One immutable, consistent view of every table. Writers build a new snapshot and
/// swap it in; readers never lock and never see a half-applied command.
/// </summary>
public sealed record StateSnapshot
{
    public static readonly IComparer<string> NodeOrder = StringComparer.OrdinalIgnoreCase;

    public ImmutableSortedDictionary<string, Node> Nodes { get; init; } =
        ImmutableSortedDictionary.Create<string, Node>(NodeOrder);

    /// <summary>Services by node name, then by service ID.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, NodeService>> Services { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, NodeService>>(NodeOrder);

    /// <summary>Checks by node name, then by check ID.</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, HealthCheck>> Checks { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, HealthCheck>>(NodeOrder);

    /// <summary>Service name → nodes that run an instance of it (for catalog/service lookups).</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedSet<string>> ServiceNodes { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);

    /// <summary>Index of the last change to each service name (Consul's per-service index).</summary>
    public ImmutableDictionary<string, ulong> ServiceIndexes { get; init; } =
        ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, KVEntry> KV { get; init; } =
        ImmutableSortedDictionary.Create<string, KVEntry>(StringComparer.Ordinal);

    /// <summary>Deleted keys and the index of their deletion, so prefix queries see deletes.</summary>
    public ImmutableSortedDictionary<string, ulong> Tombstones { get; init; } =
        ImmutableSortedDictionary.Create<string, ulong>(StringComparer.Ordinal);

    public ImmutableSortedDictionary<string, Session> Sessions { get; init; } =
        ImmutableSortedDictionary.Create<string, Session>(StringComparer.Ordinal);

    /// <summary>ACL tokens by AccessorID.</summary>
    public ImmutableSortedDictionary<string, AclToken> AclTokens { get; init; } =
        ImmutableSortedDictionary.Create<string, AclToken>(StringComparer.Ordinal);

    /// <summary>SecretID → AccessorID, kept in step with <see cref="AclTokens"/> (derived, not serialized).</summary>
    public ImmutableDictionary<string, string> AclSecrets { get; init; } =
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>ACL policies by ID.</summary>
    public ImmutableSortedDictionary<string, AclPolicy> AclPolicies { get; init; } =
        ImmutableSortedDictionary.Create<string, AclPolicy>(StringComparer.Ordinal);

    /// <summary>ACL roles by ID.</summary>
    public ImmutableSortedDictionary<string, AclRole> AclRoles { get; init; } =
        ImmutableSortedDictionary.Create<string, AclRole>(StringComparer.Ordinal);

    /// <summary>Index of the successful ACL bootstrap; 0 while bootstrapping is still allowed.</summary>
    public ulong AclBootstrapIndex { get; init; }

    /// <summary>Prepared queries by ID.</summary>
    public ImmutableSortedDictionary<string, State.PreparedQuery> PreparedQueries { get; init; } =
        ImmutableSortedDictionary.Create<string, State.PreparedQuery>(StringComparer.Ordinal);

    /// <summary>LAN network coordinates by node name, then by network segment ("" outside Enterprise).</summary>
    public ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, Coordinate>> Coordinates { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, Coordinate>>(NodeOrder);

    public ImmutableDictionary<string, ulong> TableIndexes { get; init; } =
        ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal);

    /// <summary>Highest index applied to any table.</summary>
    public ulong LastIndex { get; init; }

    public ulong TableIndex(string table) => TableIndexes.GetValueOrDefault(table);

    /// <summary>Max of the given tables' indexes, as Consul's maxIndexTxn.</summary>
    public ulong MaxIndex(params ReadOnlySpan<string> tables)
    {
        ulong max = 0;
        foreach (var t in tables) max = Math.Max(max, TableIndex(t));
        return max;
    }

    public IEnumerable<NodeService> ServicesOn(string node) =>
        Services.TryGetValue(node, out var s) ? s.Values : [];

    public IEnumerable<HealthCheck> ChecksOn(string node) =>
        Checks.TryGetValue(node, out var c) ? c.Values : [];

    /// <summary>All instances of a service name, as (node, service) pairs in node order.</summary>
    public IEnumerable<(Node Node, NodeService Service)> Instances(string serviceName)
    {
        if (!ServiceNodes.TryGetValue(serviceName, out var nodes)) yield break;
        foreach (var nodeName in nodes)
        {
            if (!Nodes.TryGetValue(nodeName, out var node) || !Services.TryGetValue(nodeName, out var services)) continue;
            foreach (var svc in services.Values)
                if (svc.Service == serviceName) yield return (node, svc);
        }
    }

    /// <summary>Checks that apply to a service instance: node-level checks plus the service's own.</summary>
    public IEnumerable<HealthCheck> ChecksFor(string node, string serviceId) =>
        ChecksOn(node).Where(c => c.ServiceID == "" || c.ServiceID == serviceId);
}

/// <summary>Table names, used for indexes and blocking-query watches.</summary>
public static class Tables
{
    public const string Nodes = "nodes";
    public const string Services = "services";
    public const string Checks = "checks";
    public const string KV = "kvs";
    public const string Tombstones = "tombstones";
    public const string Sessions = "sessions";
    public const string AclTokens = "acl-tokens";
    public const string AclPolicies = "acl-policies";
    public const string AclRoles = "acl-roles";
    public const string PreparedQueries = "prepared-queries";
    public const string Coordinates = "coordinates";
}
