namespace Consul.Core.Raft;

/// <summary>
/// Moves Raft messages between servers. Delivery is best effort and one-way (responses are
/// ordinary messages travelling back); Raft copes with loss, duplication and reordering.
/// </summary>
public interface IRaftTransport : IAsyncDisposable
{
    /// <summary>Begins handing inbound messages to <paramref name="receiver"/>.</summary>
    void Start(RaftReceiver receiver);

    /// <summary>
    /// Sends in order per peer. Completes when handed to the peer (for snapshots: fully
    /// streamed); faults when the peer is unreachable.
    /// </summary>
    Task SendAsync(string address, RaftMessage message, CancellationToken cancellationToken);
}

/// <summary>Where a transport hands inbound messages: a <see cref="RaftNode"/>.</summary>
public abstract class RaftReceiver
{
    /// <summary>Queues a message for the node's loop thread; returns at once.</summary>
    public abstract void Queue(RaftMessage message);

    /// <summary>
    /// Steps these messages on the calling thread if the node's loop is idle, including the
    /// disk sync and sends that follow; queues them otherwise. Saves the loop thread's wake-up
    /// (a context switch, 40-70 µs on a busy machine) on the commit path. For a transport's own
    /// receive thread that may block on the disk, with every message that has arrived so far
    /// in one call so that they share one sync.
    /// </summary>
    public abstract void StepNow(IReadOnlyList<RaftMessage> messages);
}
