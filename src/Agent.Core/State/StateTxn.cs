using System.Collections.Immutable;
using Consul.Core.Events;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>
/// One command's worth of changes against a snapshot: collects the new tables, the
/// tables it touched (for indexes and watches) and the events to publish.
/// </summary>
internal sealed class StateTxn(StateSnapshot start, ulong index)
{
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);

    public ulong Index { get; } = index;
    public StateSnapshot Snap { get; private set; } = start;
    public List<ClusterEvent> Events { get; } = new();
    /// <summary>Keys whose lock-delay starts if this command commits.</summary>
    public List<(string Key, TimeSpan Delay)> LockDelays { get; } = new();

    public void Update(Func<StateSnapshot, StateSnapshot> change, params ReadOnlySpan<string> tables)
    {
        Snap = change(Snap);
        foreach (var t in tables) _changed.Add(t);
    }

    public void TouchService(string serviceName)
    {
        Snap = Snap with { ServiceIndexes = Snap.ServiceIndexes.SetItem(serviceName, Index) };
        _changed.Add(Tables.Services);
    }

    /// <summary>Node-level changes (node record, node checks) bump every service on the node.</summary>
    public void TouchServicesOn(string node)
    {
        foreach (var svc in Snap.ServicesOn(node)) TouchService(svc.Service);
    }

    public StateSnapshot Commit(out IReadOnlyCollection<string> changed)
    {
        changed = _changed;
        if (_changed.Count == 0) return Snap;
        var indexes = Snap.TableIndexes;
        foreach (var t in _changed) indexes = indexes.SetItem(t, Index);
        return Snap with { TableIndexes = indexes, LastIndex = Math.Max(Snap.LastIndex, Index) };
    }

    public static ImmutableSortedDictionary<string, T> EmptyById<T>() =>
        ImmutableSortedDictionary.Create<string, T>(StringComparer.Ordinal);
}
