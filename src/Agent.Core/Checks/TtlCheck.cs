using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckTTL: the application reports status; if no report arrives within TTL the
/// check turns critical with "TTL expired" (plus the last output, if any). Each report
/// restarts the TTL. No StatusHandler thresholds apply.
/// </summary>
internal sealed class TtlCheck : CheckRunner
{
    private readonly TimeSpan _ttl;
    private readonly int _outputMax;
    private readonly ITimer _timer;
    private readonly object _lock = new();
    private string _lastOutput = "";
    private DateTimeOffset _deadline;

    // Timers take at most ~49.7 days; a longer TTL (Go allows any duration) re-arms until its deadline.
    private static readonly TimeSpan MaxTimerStep = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    public TtlCheck(CheckSettings s) : base(s.CheckId, s.Notifier, s.Time, s.Log)
    {
        _ttl = s.Durations.Ttl;
        _outputMax = s.OutputMaxSize;
        _deadline = Time.GetUtcNow() + _ttl;
        _timer = Time.CreateTimer(_ => Expire(), null, Step(_ttl), Timeout.InfiniteTimeSpan);
    }

    private static TimeSpan Step(TimeSpan remaining) => remaining > MaxTimerStep ? MaxTimerStep : remaining;

    protected override Task RunAsync(CancellationToken stop) => Task.Delay(Timeout.InfiniteTimeSpan, Time, stop);

    protected override void OnStopped() => _timer.Dispose();

    public override void Stop()
    {
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        base.Stop();
    }

    /// <summary>Records a status from the application and restarts the TTL; returns the (maybe truncated) output.</summary>
    public string SetStatus(string status, string output)
    {
        var truncated = OutputBuffer.TruncateTtlOutput(output, _outputMax);
        lock (_lock)
        {
            Notify(status, truncated);
            _lastOutput = truncated;
            _deadline = Time.GetUtcNow() + _ttl;
            _timer.Change(Step(_ttl), Timeout.InfiniteTimeSpan);
        }
        return truncated;
    }

    private void Expire()
    {
        lock (_lock)
        {
            var remaining = _deadline - Time.GetUtcNow();
            if (remaining > TimeSpan.Zero && _ttl > MaxTimerStep)
            {
                _timer.Change(Step(remaining), Timeout.InfiniteTimeSpan);
                return;
            }
            Log.LogWarning("Check {CheckId} missed TTL, is now critical", CheckId);
            Notify(HealthStatus.Critical, _lastOutput.Length == 0
                ? "TTL expired"
                : $"TTL expired (last output before timeout follows): {_lastOutput}");
        }
    }
}
