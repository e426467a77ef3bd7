using System.Collections.Immutable;

namespace Consul.Core.State;

/// <summary>Network coordinates in the catalog, as Consul's state/coordinate.go keeps them.</summary>
internal static class CoordinateWrites
{
    public static object? Apply(StateTxn txn, CoordinateBatchCommand c)
    {
        var changed = false;
        foreach (var update in c.Updates)
        {
            // No orphans: a coordinate only for a node in the catalog (Consul skips the others).
            if (update is not { Node.Length: > 0, Coord: { } coord } || !coord.IsValid() || !txn.Snap.Nodes.ContainsKey(update.Node)) continue;
            var segment = update.Segment ?? "";
            txn.Update(s =>
            {
                var segments = s.Coordinates.TryGetValue(update.Node, out var existing)
                    ? existing
                    : ImmutableSortedDictionary.Create<string, Gossip.Coordinates.Coordinate>(StringComparer.Ordinal);
                return s with { Coordinates = s.Coordinates.SetItem(update.Node, segments.SetItem(segment, coord)) };
            });
            changed = true;
        }
        if (changed) txn.Update(s => s, Tables.Coordinates);
        return true;
    }

    /// <summary>A deregistered node takes its coordinates with it.</summary>
    public static void RemoveNode(StateTxn txn, string node)
    {
        if (txn.Snap.Coordinates.ContainsKey(node))
            txn.Update(s => s with { Coordinates = s.Coordinates.Remove(node) }, Tables.Coordinates);
    }
}
