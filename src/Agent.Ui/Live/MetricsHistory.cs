namespace Consul.Ui.Live;

/// <summary>One point on the dashboard's charts.</summary>
public sealed record MetricsSample(DateTimeOffset Time, int LeaderChanges, double CommitsPerSecond, int MembersAlive, int MembersFailed);

/// <summary>
/// A bounded history of cluster figures for the dashboard charts. Pure: the sampler feeds it
/// cumulative counters and the time; rates are derived from consecutive samples.
/// </summary>
public sealed class MetricsHistory
{
    private readonly object _gate = new();
    private readonly Queue<MetricsSample> _samples = new();
    private readonly int _capacity;
    private (DateTimeOffset Time, ulong CommitIndex, long LeaderChanges)? _last;

    public MetricsHistory() : this(60) { }

    public MetricsHistory(int capacity) => _capacity = Math.Max(2, capacity);

    /// <summary>
    /// Adds a sample. <paramref name="commitIndex"/> and <paramref name="leaderChangesTotal"/> are
    /// running totals; the sample stores their change since the previous call.
    /// </summary>
    public MetricsSample Record(DateTimeOffset now, ulong commitIndex, long leaderChangesTotal, int membersAlive, int membersFailed)
    {
        lock (_gate)
        {
            var rate = 0.0;
            var leaderChanges = 0;
            if (_last is { } prev)
            {
                var seconds = (now - prev.Time).TotalSeconds;
                // An index that went backwards (restore, restart) counts as no progress.
                if (seconds > 0 && commitIndex >= prev.CommitIndex) rate = (commitIndex - prev.CommitIndex) / seconds;
                leaderChanges = (int)Math.Max(0, leaderChangesTotal - prev.LeaderChanges);
            }
            _last = (now, commitIndex, leaderChangesTotal);
            var sample = new MetricsSample(now, leaderChanges, Math.Round(rate, 2), membersAlive, membersFailed);
            _samples.Enqueue(sample);
            while (_samples.Count > _capacity) _samples.Dequeue();
            return sample;
        }
    }

    /// <summary>Samples, oldest first.</summary>
    public IReadOnlyList<MetricsSample> Samples()
    {
        lock (_gate) return _samples.ToArray();
    }
}
