namespace Consul.Core.Gossip.Swim;

/// <summary>
/// Lifeguard's suspicion timer: starts at max and shrinks toward min as other members
/// independently confirm the suspicion, so a truly dead node is declared quickly while
/// a lone (perhaps unhealthy) accuser gives the suspect a long time to refute.
/// </summary>
internal sealed class Suspicion
{
    private readonly HashSet<string> _confirmations;
    private readonly int _wanted;
    private readonly TimeSpan _min, _max, _start;
    private readonly TimerQueue _timers;
    private readonly Action _onTimeout;
    private TimerHandle _timer;

    public Suspicion(string from, int wanted, TimeSpan min, TimeSpan max, TimeSpan now, TimerQueue timers, Action onTimeout)
    {
        _confirmations = [from];
        _wanted = wanted;
        _min = min;
        _max = max;
        _start = now;
        _timers = timers;
        _onTimeout = onTimeout;
        _timer = timers.Schedule(now + (wanted < 1 ? min : max), onTimeout);
    }

    public int Confirmations { get; private set; }

    /// <summary>Records a confirmation; true if it was new (and worth re-gossiping).</summary>
    public bool Confirm(string from, TimeSpan now)
    {
        if (Confirmations >= _wanted) return false;
        if (!_confirmations.Add(from)) return false;
        Confirmations++;
        var total = SwimMath.RemainingSuspicion(Confirmations, _wanted, _min, _max);
        _timer.Cancel();
        var due = _start + total;
        _timer = _timers.Schedule(due < now ? now : due, _onTimeout);
        return true;
    }

    public void Cancel() => _timer.Cancel();
}
