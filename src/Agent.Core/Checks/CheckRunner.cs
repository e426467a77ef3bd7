using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// One running check. Owns its loop task and makes sure nothing is reported after Stop
/// returns, so a replaced check can't overwrite its successor's status.
/// </summary>
internal abstract class CheckRunner
{
    private readonly ICheckNotifier _notifier;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private bool _stopped;

    protected CheckRunner(string checkId, ICheckNotifier notifier, TimeProvider time, ILogger log)
    {
        CheckId = checkId;
        _notifier = notifier;
        Time = time;
        Log = log;
    }

    public string CheckId { get; }
    protected TimeProvider Time { get; }
    protected ILogger Log { get; }

    /// <summary>The loop; completes after Stop.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(() => RunGuardedAsync(_stop.Token));

    public virtual void Stop()
    {
        lock (_gate) _stopped = true;
        _stop.Cancel();
    }

    protected abstract Task RunAsync(CancellationToken stop);

    /// <summary>Sends a result to the notifier unless the check was stopped.</summary>
    protected void Notify(string status, string output)
    {
        lock (_gate)
        {
            if (_stopped) return;
            _notifier.UpdateCheck(CheckId, status, output);
        }
    }

    private async Task RunGuardedAsync(CancellationToken stop)
    {
        try
        {
            await RunAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Log.LogError(e, "Check {CheckId} loop failed", CheckId);
        }
        finally
        {
            OnStopped();
        }
    }

    /// <summary>Releases what the runner holds, after its loop has ended.</summary>
    protected virtual void OnStopped() { }
}

/// <summary>
/// Checks that run every Interval after a random first delay in [0, Interval)
/// (Consul's lib.RandomStagger), reporting through a StatusHandler.
/// </summary>
internal abstract class IntervalCheck : CheckRunner
{
    private readonly StatusHandler _status;

    protected IntervalCheck(CheckSettings s)
        : base(s.CheckId, s.Notifier, s.Time, s.Log)
    {
        Interval = s.Interval;
        FirstDelay = s.FirstDelay;
        _status = new StatusHandler(s.Definition.SuccessBeforePassing, s.Definition.FailuresBeforeWarning, s.Definition.FailuresBeforeCritical);
        // The stagger counts from Start, not from when the loop task gets scheduled.
        _firstDue = s.Time.GetUtcNow() + FirstDelay;
        _idle = true;
    }

    private readonly DateTimeOffset _firstDue;

    /// <summary>Time between the end of one probe and the start of the next (at least 1s).</summary>
    internal TimeSpan Interval { get; }
    /// <summary>Delay before the first probe, random in [0, Interval).</summary>
    internal TimeSpan FirstDelay { get; }

    protected sealed override async Task RunAsync(CancellationToken stop)
    {
        var untilFirst = _firstDue - Time.GetUtcNow();
        await WaitAsync(untilFirst > TimeSpan.Zero ? untilFirst : TimeSpan.Zero, stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A runner bug must not end the loop; report it as Consul reports errors.
                Log.LogWarning(e, "Check {CheckId} failed", CheckId);
                Report(Model.HealthStatus.Critical, e.Message);
            }
            await WaitAsync(Interval, stop).ConfigureAwait(false);
        }
    }

    /// <summary>True while the check waits for its next probe (not probing). Lets tests move a fake clock only between probes.</summary>
    internal bool Idle => Volatile.Read(ref _idle);
    private bool _idle;

    private async Task WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        Volatile.Write(ref _idle, true);
        try
        {
            await Task.Delay(delay, Time, stop).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _idle, false);
        }
    }

    /// <summary>One probe. Reports through Report (thresholds) or Notify (bypassing them).</summary>
    protected abstract Task CheckOnceAsync(CancellationToken stop);

    /// <summary>A result subject to success_before_passing / failures_before_*.</summary>
    protected void Report(string status, string output)
    {
        var effective = _status.Next(status);
        if (effective is null)
        {
            Log.LogDebug("Check {CheckId} result {Status} held back by thresholds", CheckId, status);
            return;
        }
        Notify(effective, output);
    }
}
