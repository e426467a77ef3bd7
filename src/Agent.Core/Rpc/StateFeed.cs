using System.Threading.Channels;
using Consul.Core.State;

namespace Consul.Core.Rpc;

/// <summary>
/// A server's stream of applied commands for the replicas of client agents. Keeps the last
/// <see cref="Capacity"/> commands so a replica that reconnects catches up from where it was;
/// one further behind gets the whole state first. A subscriber that cannot keep up is cut
/// off (it reconnects and catches up the same way) so it never holds the server back.
/// </summary>
public sealed class StateFeed(StateStore store, int capacity = 8192, int subscriberBuffer = 16384)
{
    private readonly object _gate = new();
    private readonly Queue<(ulong Index, byte[] Command)> _recent = new();
    private readonly List<Channel<FeedFrame>> _subscribers = new();
    private ulong _lastIndex;

    public int Capacity => capacity;

    /// <summary>Index of the last command seen (applied on this server).</summary>
    public ulong LastIndex { get { lock (_gate) return _lastIndex; } }

    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    /// <summary>Called right after the state machine applied <paramref name="command"/> at <paramref name="index"/>.</summary>
    public void Applied(ulong index, ReadOnlyMemory<byte> command)
    {
        var bytes = command.ToArray();
        lock (_gate)
        {
            if (index <= _lastIndex) return;
            _lastIndex = index;
            _recent.Enqueue((index, bytes));
            while (_recent.Count > capacity) _recent.Dequeue();
            var frame = new FeedFrame(FeedFrameKind.Command, index, bytes);
            for (var i = _subscribers.Count - 1; i >= 0; i--)
            {
                if (_subscribers[i].Writer.TryWrite(frame)) continue;
                _subscribers[i].Writer.TryComplete(new FeedOverflowException());
                _subscribers.RemoveAt(i);
            }
        }
    }

    /// <summary>The state was replaced by a Raft snapshot: history is gone; every replica starts over.</summary>
    public void Restored(ulong index)
    {
        lock (_gate)
        {
            _recent.Clear();
            _lastIndex = Math.Max(_lastIndex, index);
            foreach (var s in _subscribers) s.Writer.TryComplete(new FeedOverflowException());
            _subscribers.Clear();
        }
    }

    /// <summary>Sends what follows <paramref name="fromIndex"/> (or a full state when that is no longer kept), then every new command.</summary>
    public ChannelReader<FeedFrame> Subscribe(ulong fromIndex, out StateSnapshot? fullState, out ulong fullStateIndex)
    {
        var channel = Channel.CreateBounded<FeedFrame>(new BoundedChannelOptions(subscriberBuffer) { SingleReader = true, SingleWriter = false });
        lock (_gate)
        {
            fullState = null;
            fullStateIndex = 0;
            var oldestKept = _recent.Count > 0 ? _recent.Peek().Index : _lastIndex + 1;
            // Commands between fromIndex and the oldest kept one may exist: only a full state is safe then.
            // A replica at or ahead of this server (it followed a more current one) needs nothing now.
            var canCatchUp = fromIndex > 0 && (fromIndex >= _lastIndex || fromIndex + 1 >= oldestKept);
            if (canCatchUp)
            {
                foreach (var (index, command) in _recent)
                    if (index > fromIndex) channel.Writer.TryWrite(new FeedFrame(FeedFrameKind.Command, index, command));
            }
            else
            {
                fullState = store.Current;
                // The store may already hold the next command if its hook has not run yet; the
                // replica then skips it by index (a rejected command changes nothing either way).
                fullStateIndex = Math.Max(_lastIndex, fullState.LastIndex);
            }
            _subscribers.Add(channel);
        }
        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<FeedFrame> reader)
    {
        lock (_gate) _subscribers.RemoveAll(c => c.Reader == reader);
    }
}

/// <summary>The subscriber fell too far behind (or the server restored a snapshot); it must resubscribe.</summary>
public sealed class FeedOverflowException() : Exception("rpc: replica feed overflowed; resubscribe");
