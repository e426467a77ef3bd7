using Microsoft.Extensions.Logging;

namespace Consul.Core.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// Keeps messages to one peer in order and reports failures back to the core. An idle
    /// sender starts the write on the caller's (loop) thread: handing every message to a
    /// pool thread first cost a wake-up of 100-300 µs on the commit path under load, while
    /// starting a write only encodes the frame and queues it on the HTTP/2 connection. Once a
    /// write has to wait, the rest of the queue drains on whichever thread completes it.
    /// <para>
    /// An append without entries (the leader's commit notice after every commit, or a probe)
    /// is held back for <see cref="RaftNodeOptions.EmptyAppendDelay"/>: with one proposer the
    /// next proposal's append follows within microseconds and carries the newer commit index,
    /// but if the notice were already on the wire that append would queue behind its write
    /// (one HTTP/2 write and flush, 100-200 µs here). A held notice is dropped when an append
    /// with entries overtakes it, and sent when the delay runs out otherwise.
    /// </para>
    /// </summary>
    private sealed class PeerSender : IDisposable
    {
        private const int MaxQueued = 4096;

        private readonly RaftNode _node;
        private readonly Queue<RaftMessage> _queue = new();
        private readonly CancellationTokenSource _cts = new();
        private readonly ITimer _heldTimer;
        private bool _draining;       // guarded by _queue
        private RaftMessage? _held;   // guarded by _queue

        public string Id { get; }
        public string Address { get; }

        public PeerSender(RaftNode node, string id, string address)
        {
            _node = node;
            Id = id;
            Address = address;
            _heldTimer = node._time.CreateTimer(_ => ReleaseHeld(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public void Enqueue(RaftMessage m)
        {
            var delay = _node._o.EmptyAppendDelay;
            lock (_queue)
            {
                if (_cts.IsCancellationRequested || _queue.Count >= MaxQueued) return; // Raft resends what is dropped
                if (m.Type == MessageType.Append)
                {
                    if (m.Entries.Length == 0 && delay > TimeSpan.Zero)
                    {
                        // A newer empty append says all an older one did (same or later commit and position).
                        var arm = _held is null;
                        _held = m;
                        if (arm) _heldTimer.Change(delay, Timeout.InfiniteTimeSpan);
                        return;
                    }
                    _held = null; // carries the commit index the held notice would have
                }
                _queue.Enqueue(m);
                if (_draining) return;
                _draining = true;
            }
            _ = DrainAsync();
        }

        private void ReleaseHeld()
        {
            lock (_queue)
            {
                if (_held is null || _cts.IsCancellationRequested) return;
                _queue.Enqueue(_held);
                _held = null;
                if (_draining) return;
                _draining = true;
            }
            _ = DrainAsync();
        }

        private async Task DrainAsync()
        {
            while (true)
            {
                RaftMessage m;
                lock (_queue)
                {
                    if (_cts.IsCancellationRequested || !_queue.TryDequeue(out m!))
                    {
                        _draining = false;
                        return;
                    }
                }
                try
                {
                    // A snapshot is encoded and streamed in chunks: not on the Raft loop's thread.
                    if (m.Type == MessageType.InstallSnapshot) await Task.Yield();
                    RaftTrace.Message("send", m);
                    await _node._transport.SendAsync(Address, m, _cts.Token).ConfigureAwait(false);
                    RaftTrace.Message("sent", m);
                    if (m.Type == MessageType.InstallSnapshot) _node.Post(() => _node._core!.ReportSnapshot(Id, true));
                }
                catch (OperationCanceledException) when (_cts.IsCancellationRequested) { }
                catch (Exception e)
                {
                    _node._log.LogDebug(e, "raft: send to {Peer} ({Address}) failed", Id, Address);
                    if (m.Type == MessageType.InstallSnapshot) _node.Post(() => _node._core!.ReportSnapshot(Id, false));
                    else _node.Post(() => _node._core!.ReportUnreachable(Id));
                    // Drop what is queued: Raft will resend from the follower's last known match.
                    lock (_queue) _queue.Clear();
                }
            }
        }

        public void Dispose()
        {
            _cts.Cancel();
            _heldTimer.Dispose();
            lock (_queue)
            {
                _queue.Clear();
                _held = null;
            }
        }
    }
}
