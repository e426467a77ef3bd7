namespace Consul.Core.Raft;

/// <summary>
/// Moves Raft messages between servers. Delivery is best effort and one-way (responses are
/// ordinary messages travelling back); Raft copes with loss, duplication and reordering.
/// </summary>
public interface IRaftTransport : IAsyncDisposable
{
    /// <summary>Begins delivering inbound messages to <paramref name="onMessage"/>.</summary>
    void Start(Action<RaftMessage> onMessage);

    /// <summary>
    /// Sends in order per peer. Completes when handed to the peer (for snapshots: fully
    /// streamed); faults when the peer is unreachable.
    /// </summary>
    Task SendAsync(string address, RaftMessage message, CancellationToken cancellationToken);
}
