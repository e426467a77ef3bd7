using System.Collections.Immutable;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.State;

namespace Consul.Core.Queries;

/// <summary>
/// Consul's sortNodesByDistanceFrom (the <c>?near=</c> parameter and a prepared query's Near):
/// a stable sort by the round-trip time the network coordinates estimate from a source node.
/// Nodes without a coordinate go last; without one for the source the order is left as it is.
/// </summary>
public static class RttSort
{
    public static void ByDistanceFrom<T>(StateSnapshot s, string source, List<T> items, Func<T, string> nodeOf)
    {
        if (source == "" || items.Count < 2 || !s.Coordinates.TryGetValue(source, out var from)) return;
        var sorted = items
            .Select(item => (Item: item, Rtt: Distance(from, s.Coordinates.GetValueOrDefault(nodeOf(item)))))
            .OrderBy(x => x.Rtt) // LINQ's OrderBy is stable, as Consul's sort.Stable
            .Select(x => x.Item)
            .ToList();
        items.Clear();
        items.AddRange(sorted);
    }

    /// <summary>Estimated RTT in seconds between two nodes' coordinate sets; infinite when not comparable.</summary>
    public static double Distance(ImmutableSortedDictionary<string, Coordinate>? a, ImmutableSortedDictionary<string, Coordinate>? b)
    {
        if (a is null || b is null) return double.PositiveInfinity;
        var (ca, cb) = Intersect(a, b);
        return ca is null || cb is null || !ca.IsCompatibleWith(cb) ? double.PositiveInfinity : ca.DistanceTo(cb).TotalSeconds;
    }

    /// <summary>
    /// Consul's CoordinateSet.Intersect: the default segment, unless a side has exactly one segment
    /// (a client agent), whose segment then wins.
    /// </summary>
    public static (Coordinate?, Coordinate?) Intersect(IReadOnlyDictionary<string, Coordinate> a, IReadOnlyDictionary<string, Coordinate> b)
    {
        var segment = "";
        if (a.Count == 1) segment = a.Keys.First();
        if (b.Count == 1) segment = b.Keys.First();
        return (a.GetValueOrDefault(segment), b.GetValueOrDefault(segment));
    }
}
