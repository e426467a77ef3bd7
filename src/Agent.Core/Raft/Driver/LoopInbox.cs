using System.Collections.Concurrent;

namespace Consul.Core.Raft;

/// <summary>
/// Work queued for a <see cref="RaftNode"/>'s loop thread. The loop runs on a thread of its
/// own rather than as continuations on the thread pool: it blocks in fsync, and a pool
/// thread blocked there counts as busy, so on a small machine the pool had too few threads
/// left for the gRPC and HTTP/2 I/O continuations on the commit path; waking the loop also
/// took a pool dispatch each time. Here a post wakes the sleeping loop thread directly.
/// </summary>
internal sealed class LoopInbox
{
    private readonly ConcurrentQueue<Action> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private volatile bool _completed;

    /// <summary>Queues work; false once the loop has stopped taking any.</summary>
    public bool TryWrite(Action work)
    {
        if (_completed) return false;
        _queue.Enqueue(work);
        _signal.Release();
        return true;
    }

    /// <summary>Blocks until work is queued (true) or the inbox is completed (false).</summary>
    public bool WaitToRead(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_queue.IsEmpty) return true;
            if (_completed) return false;
            // One release per item: the count may run ahead of the queue, which costs an empty pass only.
            _signal.Wait(cancellationToken);
        }
    }

    public bool TryRead(out Action work) => _queue.TryDequeue(out work!);

    public void Complete()
    {
        _completed = true;
        _signal.Release();
    }
}
