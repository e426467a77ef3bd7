using System.Collections.Concurrent;

namespace Consul.Core.Raft;

/// <summary>
/// Work queued for a <see cref="RaftNode"/>'s loop thread. The loop runs on a thread of its
/// own rather than as continuations on the thread pool: it blocks in fsync, and a pool
/// thread blocked there counts as busy, so on a small machine the pool had too few threads
/// left for the gRPC and HTTP/2 I/O continuations on the commit path; waking the loop also
/// took a pool dispatch each time. Here a post wakes the sleeping loop thread directly.
/// A receiving thread may also run the queue itself while the loop thread sleeps (see
/// RaftNode.StepNow).
/// </summary>
internal sealed class LoopInbox
{
    private readonly ConcurrentQueue<(Action Work, Action<Exception>? Abandon)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();
    private bool _completed; // guarded by _gate

    /// <summary>
    /// Queues work; false once the loop has stopped taking any. <paramref name="abandon"/> is
    /// told if the loop stops before running it (a caller waiting on the work must not hang).
    /// <paramref name="wake"/> false leaves the loop thread asleep: for a caller that runs the
    /// queue itself straight after.
    /// </summary>
    public bool TryWrite(Action work, Action<Exception>? abandon = null, bool wake = true)
    {
        // Checked and queued under the lock, so nothing slips in after Complete and AbandonAll.
        lock (_gate)
        {
            if (_completed) return false;
            _queue.Enqueue((work, abandon));
        }
        if (wake) _signal.Release();
        return true;
    }

    /// <summary>Blocks until work is queued (true) or the inbox is completed and empty (false).</summary>
    public bool WaitToRead(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_queue.IsEmpty) return true;
            lock (_gate)
                if (_completed) return false;
            // One release per item: the count may run ahead of the queue, which costs an empty pass only.
            _signal.Wait(cancellationToken);
        }
    }

    public bool TryRead(out Action work)
    {
        var found = _queue.TryDequeue(out var item);
        work = item.Work;
        return found;
    }

    public void Complete()
    {
        lock (_gate) _completed = true;
        _signal.Release();
    }

    /// <summary>After the loop has stopped: what it never ran is dropped, and its waiters told why.</summary>
    public void AbandonAll(Exception reason)
    {
        Complete();
        while (_queue.TryDequeue(out var item)) item.Abandon?.Invoke(reason);
    }
}
