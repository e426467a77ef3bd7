namespace Consul.Core.State;

/// <summary>
/// Holds the current <see cref="StateSnapshot"/> and wakes blocking queries when the
/// tables they read change. Only <see cref="StateMachine"/> writes to it.
/// </summary>
public sealed class StateStore
{
    private readonly object _watchGate = new();
    private readonly Dictionary<string, TaskCompletionSource> _watches = new(StringComparer.Ordinal);
    private volatile StateSnapshot _current = new();

    public StateSnapshot Current => _current;

    /// <summary>A task that completes at the next change of the given table.</summary>
    public Task WatchTable(string table)
    {
        lock (_watchGate)
        {
            if (!_watches.TryGetValue(table, out var tcs))
                _watches[table] = tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return tcs.Task;
        }
    }

    /// <summary>Whether a blocking query is waiting on the table (lets tests order writes after the wait began).</summary>
    internal bool IsWatched(string table)
    {
        lock (_watchGate) return _watches.ContainsKey(table);
    }

    /// <summary>Swap in a new snapshot and wake the watchers of every table that changed.</summary>
    internal void Publish(StateSnapshot next, IEnumerable<string> changedTables)
    {
        _current = next;
        List<TaskCompletionSource>? fire = null;
        lock (_watchGate)
        {
            foreach (var table in changedTables)
            {
                if (_watches.Remove(table, out var tcs)) (fire ??= new()).Add(tcs);
            }
        }
        if (fire is null) return;
        foreach (var tcs in fire) tcs.TrySetResult();
    }

    /// <summary>Swap in a wholly different snapshot (a restore): every table may have changed,
    /// so every watcher wakes and re-reads.</summary>
    internal void Replace(StateSnapshot next)
    {
        _current = next;
        TaskCompletionSource[] fire;
        lock (_watchGate)
        {
            fire = _watches.Values.ToArray();
            _watches.Clear();
        }
        foreach (var tcs in fire) tcs.TrySetResult();
    }
}
