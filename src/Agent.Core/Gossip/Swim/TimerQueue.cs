namespace Consul.Core.Gossip.Swim;

/// <summary>A cancellable timer, owned by a <see cref="TimerQueue"/>.</summary>
public sealed class TimerHandle
{
    internal TimerHandle(TimeSpan due, Action fire) { Due = due; Fire = fire; }
    public TimeSpan Due { get; }
    internal Action Fire { get; }
    public bool Cancelled { get; private set; }
    public void Cancel() => Cancelled = true;
}

/// <summary>
/// Timers for a pure state machine: the owner asks when the next one is due and calls
/// <see cref="RunDue"/> with the current time; no threads or clocks inside.
/// </summary>
public sealed class TimerQueue
{
    private readonly PriorityQueue<TimerHandle, (TimeSpan Due, long Order)> _queue = new();
    private long _order;

    public TimerHandle Schedule(TimeSpan due, Action fire)
    {
        var h = new TimerHandle(due, fire);
        _queue.Enqueue(h, (due, _order++));
        return h;
    }

    /// <summary>When the earliest live timer fires, or <see cref="TimeSpan.MaxValue"/>.</summary>
    public TimeSpan NextDue
    {
        get
        {
            while (_queue.TryPeek(out var h, out _) && h.Cancelled) _queue.Dequeue();
            return _queue.TryPeek(out var next, out _) ? next.Due : TimeSpan.MaxValue;
        }
    }

    public void RunDue(TimeSpan now)
    {
        while (_queue.TryPeek(out var h, out var p) && p.Due <= now)
        {
            _queue.Dequeue();
            if (!h.Cancelled) { h.Cancel(); h.Fire(); }
        }
    }

    public void Clear() => _queue.Clear();
}
