using System.Threading.Channels;

namespace Consul.Core.Events;

/// <summary>
/// The one typed stream of cluster events. Publishing never blocks: each subscriber
/// has a bounded channel that drops its oldest events when it falls behind (and
/// counts them), so a slow UI circuit cannot hold up Raft or gossip.
/// A ring of recent events lets a new subscriber draw the recent timeline.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly ClusterEvent[] _recent;
    private readonly List<EventSubscription> _subscribers = new();
    private long _sequence;
    private int _recentStart, _recentCount;

    public EventStream(TimeProvider? time = null, int recentCapacity = 1000)
    {
        _time = time ?? TimeProvider.System;
        _recent = new ClusterEvent[recentCapacity];
    }

    /// <summary>Sequence number of the last published event (0 before any).</summary>
    public long LastSequence => Interlocked.Read(ref _sequence);

    public ClusterEvent Publish(ClusterEvent e)
    {
        EventSubscription[] targets;
        lock (_gate)
        {
            e = e with { Sequence = ++_sequence, Time = _time.GetUtcNow() };
            var slot = (_recentStart + _recentCount) % _recent.Length;
            _recent[slot] = e;
            if (_recentCount < _recent.Length) _recentCount++;
            else _recentStart = (_recentStart + 1) % _recent.Length;
            targets = _subscribers.ToArray();
        }
        foreach (var s in targets) s.Offer(e);
        return e;
    }

    /// <summary>The most recent events, oldest first.</summary>
    public IReadOnlyList<ClusterEvent> Recent(int max = int.MaxValue)
    {
        lock (_gate)
        {
            var n = Math.Min(max, _recentCount);
            var list = new ClusterEvent[n];
            for (var i = 0; i < n; i++)
                list[i] = _recent[(_recentStart + _recentCount - n + i) % _recent.Length];
            return list;
        }
    }

    /// <summary>Subscribe to every event published from now on.</summary>
    public EventSubscription Subscribe(int capacity = 4096)
    {
        var sub = new EventSubscription(this, capacity);
        lock (_gate) _subscribers.Add(sub);
        return sub;
    }

    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    internal void Unsubscribe(EventSubscription sub)
    {
        lock (_gate) _subscribers.Remove(sub);
    }
}

public sealed class EventSubscription : IDisposable
{
    private readonly EventStream _owner;
    private readonly Channel<ClusterEvent> _channel;
    private long _dropped;

    internal EventSubscription(EventStream owner, int capacity)
    {
        _owner = owner;
        _channel = Channel.CreateBounded<ClusterEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public ChannelReader<ClusterEvent> Reader => _channel.Reader;

    /// <summary>Events discarded because this subscriber fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(ClusterEvent e) => _channel.Writer.TryWrite(e);

    public void Dispose()
    {
        _owner.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
