namespace Consul.Core.Cluster;

/// <summary>
/// The index this agent's state has applied up to, with waiters: after a write is committed
/// elsewhere, the request that made it waits here so reads on this agent see it.
/// </summary>
public sealed class AppliedIndex
{
    private readonly object _gate = new();
    private readonly List<(ulong Index, TaskCompletionSource Tcs)> _waiters = new();
    private ulong _value;

    public ulong Value { get { lock (_gate) return _value; } }

    public void Advance(ulong index)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            if (index <= _value) return;
            _value = index;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Index > index) continue;
                (ready ??= new()).Add(_waiters[i].Tcs);
                _waiters.RemoveAt(i);
            }
        }
        if (ready is null) return;
        foreach (var t in ready) t.TrySetResult();
    }

    /// <summary>Sets the index outright (a replica loaded a full state, which may be older than what it had).</summary>
    public void Reset(ulong index)
    {
        lock (_gate) _value = 0;
        Advance(index);
    }

    /// <summary>
    /// Waits for <paramref name="index"/> at most <paramref name="limit"/>: after a write committed
    /// elsewhere, the caller's next read here should see it, but a lagging agent still answers.
    /// </summary>
    public async Task WaitAtMostAsync(ulong index, TimeSpan limit, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(limit);
        try { await WaitAsync(index, bounded.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    /// <summary>Completes once <see cref="Value"/> reaches <paramref name="index"/>.</summary>
    public Task WaitAsync(ulong index, CancellationToken ct)
    {
        TaskCompletionSource tcs;
        lock (_gate)
        {
            if (_value >= index) return Task.CompletedTask;
            tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((index, tcs));
        }
        return tcs.Task.WaitAsync(ct);
    }
}
