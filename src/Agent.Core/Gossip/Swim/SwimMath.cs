namespace Consul.Core.Gossip.Swim;

/// <summary>memberlist's sizing formulas, kept together so tests and benches can quote them.</summary>
public static class SwimMath
{
    /// <summary>Minimum suspicion timeout: SuspicionMult * max(1, log10(n)) * ProbeInterval.</summary>
    public static TimeSpan SuspicionTimeout(int suspicionMult, int n, TimeSpan probeInterval)
    {
        var nodeScale = Math.Max(1.0, Math.Log10(Math.Max(1.0, n)));
        // Round to milliseconds like memberlist does (it scales by 1000 then truncates).
        var ms = Math.Floor(suspicionMult * nodeScale * probeInterval.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>How many times a broadcast is sent: RetransmitMult * ceil(log10(n+1)).</summary>
    public static int RetransmitLimit(int retransmitMult, int n)
        => retransmitMult * (int)Math.Ceiling(Math.Log10(n + 1.0));

    /// <summary>Push-pull slows down beyond 32 nodes so the pool-wide rate stays bounded.</summary>
    public static TimeSpan PushPullScale(TimeSpan interval, int n)
    {
        const int threshold = 32;
        if (n <= threshold) return interval;
        var multiplier = Math.Ceiling(Math.Log2(n) - Math.Log2(threshold)) + 1.0;
        return interval * multiplier;
    }

    /// <summary>
    /// Suspicion timeout after <paramref name="confirmations"/> of the <paramref name="wanted"/>
    /// independent confirmations: shrinks logarithmically from max to min.
    /// </summary>
    public static TimeSpan RemainingSuspicion(int confirmations, int wanted, TimeSpan min, TimeSpan max)
    {
        if (wanted < 1) return min;
        var frac = Math.Log(confirmations + 1.0) / Math.Log(wanted + 1.0);
        var raw = max.TotalSeconds - frac * (max.TotalSeconds - min.TotalSeconds);
        var timeout = TimeSpan.FromMilliseconds(Math.Floor(raw * 1000.0));
        return timeout < min ? min : timeout;
    }
}
