using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Consul.Core.Acl;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>
/// The body of a serialized <see cref="StateSnapshot"/>: every table as a JSON object keyed
/// exactly as in memory (keys are kept, not derived from records, so a node key's casing
/// survives), records in their own JSON form. Keys are written in ordinal order (hash-ordered
/// tables sorted first) so equal states serialize to equal bytes in any process. Reading
/// rebuilds each table with the comparer <see cref="StateSnapshot"/> uses.
/// </summary>
internal sealed class SnapshotDocument
{
    public ulong LastIndex { get; set; }
    public Dictionary<string, ulong> TableIndexes { get; set; } = new();
    public Dictionary<string, Node> Nodes { get; set; } = new();
    public Dictionary<string, Dictionary<string, NodeService>> Services { get; set; } = new();
    public Dictionary<string, Dictionary<string, HealthCheck>> Checks { get; set; } = new();
    public Dictionary<string, List<string>> ServiceNodes { get; set; } = new();
    public Dictionary<string, ulong> ServiceIndexes { get; set; } = new();
    public Dictionary<string, KVEntry> KV { get; set; } = new();
    public Dictionary<string, ulong> Tombstones { get; set; } = new();
    public Dictionary<string, Session> Sessions { get; set; } = new();
    public Dictionary<string, AclToken> AclTokens { get; set; } = new();
    public Dictionary<string, AclPolicy> AclPolicies { get; set; } = new();
    public Dictionary<string, AclRole> AclRoles { get; set; } = new();
    public ulong AclBootstrapIndex { get; set; }
    public Dictionary<string, PreparedQuery> PreparedQueries { get; set; } = new();
    public Dictionary<string, Dictionary<string, Coordinate>> Coordinates { get; set; } = new();

    public static SnapshotDocument From(StateSnapshot s) => new()
    {
        LastIndex = s.LastIndex,
        TableIndexes = Sorted(s.TableIndexes),
        Nodes = InOrder(s.Nodes),
        Services = s.Services.ToDictionary(p => p.Key, p => InOrder(p.Value)),
        Checks = s.Checks.ToDictionary(p => p.Key, p => InOrder(p.Value)),
        ServiceNodes = s.ServiceNodes.ToDictionary(p => p.Key, p => p.Value.ToList()),
        ServiceIndexes = Sorted(s.ServiceIndexes),
        KV = InOrder(s.KV),
        Tombstones = InOrder(s.Tombstones),
        Sessions = InOrder(s.Sessions),
        AclTokens = InOrder(s.AclTokens),
        AclPolicies = InOrder(s.AclPolicies),
        AclRoles = InOrder(s.AclRoles),
        AclBootstrapIndex = s.AclBootstrapIndex,
        PreparedQueries = InOrder(s.PreparedQueries),
        Coordinates = s.Coordinates.ToDictionary(p => p.Key, p => InOrder(p.Value)),
    };

    public StateSnapshot ToSnapshot() => new()
    {
        LastIndex = LastIndex,
        TableIndexes = Hashed(TableIndexes),
        Nodes = SortedBy(StateSnapshot.NodeOrder, Nodes),
        Services = SortedBy(StateSnapshot.NodeOrder, Services, inner => SortedBy(StringComparer.Ordinal, inner)),
        Checks = SortedBy(StateSnapshot.NodeOrder, Checks, inner => SortedBy(StringComparer.Ordinal, inner)),
        ServiceNodes = SortedBy(StringComparer.Ordinal, ServiceNodes,
            nodes => ImmutableSortedSet.CreateRange(StateSnapshot.NodeOrder, nodes ?? [])),
        ServiceIndexes = Hashed(ServiceIndexes),
        KV = SortedBy(StringComparer.Ordinal, KV),
        Tombstones = SortedBy(StringComparer.Ordinal, Tombstones),
        Sessions = SortedBy(StringComparer.Ordinal, Sessions),
        AclTokens = SortedBy(StringComparer.Ordinal, AclTokens),
        AclSecrets = ImmutableDictionary.CreateRange(StringComparer.Ordinal,
            (AclTokens ?? []).Select(t => KeyValuePair.Create(t.Value.SecretID, t.Key))),
        AclPolicies = SortedBy(StringComparer.Ordinal, AclPolicies),
        AclRoles = SortedBy(StringComparer.Ordinal, AclRoles),
        AclBootstrapIndex = AclBootstrapIndex,
        PreparedQueries = SortedBy(StringComparer.Ordinal, PreparedQueries),
        Coordinates = SortedBy(StateSnapshot.NodeOrder, Coordinates, inner => SortedBy(StringComparer.Ordinal, inner)),
    };

    // Dictionary keeps insertion order when nothing is removed, and the serializer writes in that order.
    private static Dictionary<string, T> InOrder<T>(IEnumerable<KeyValuePair<string, T>> pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, T> Sorted<T>(IEnumerable<KeyValuePair<string, T>> pairs) =>
        InOrder(pairs.OrderBy(p => p.Key, StringComparer.Ordinal));

    private static ImmutableDictionary<string, ulong> Hashed(Dictionary<string, ulong>? d) =>
        ImmutableDictionary.CreateRange(StringComparer.Ordinal, d ?? []);

    private static ImmutableSortedDictionary<string, T> SortedBy<T>(IComparer<string> comparer, Dictionary<string, T>? d) =>
        SortedBy(comparer, d, v => v);

    private static ImmutableSortedDictionary<string, TOut> SortedBy<TIn, TOut>(
        IComparer<string> comparer, Dictionary<string, TIn>? d, Func<TIn, TOut> convert)
    {
        var b = ImmutableSortedDictionary.CreateBuilder<string, TOut>(comparer);
        // Add, not set: two keys equal under the table's comparer mean the data is inconsistent.
        foreach (var (key, value) in d ?? []) b.Add(key, convert(value));
        return b.ToImmutable();
    }
}

// Metadata mode: the generated fast path writes a null byte[] (KVEntry.Value) as "" instead of null.
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(SnapshotDocument))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
