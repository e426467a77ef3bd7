using Consul.Core.Model;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's checks.StatusHandler: success_before_passing / failures_before_warning /
/// failures_before_critical. The counters start at their thresholds so the first result is
/// reported at once. Passing and warning both count as successes.
/// </summary>
internal sealed class StatusHandler
{
    private readonly int _successBeforePassing;
    private readonly int _failuresBeforeWarning;
    private readonly int _failuresBeforeCritical;
    private int _successCounter;
    private int _failuresCounter;

    /// <param name="failuresBeforeWarning">0 means "same as failuresBeforeCritical", as the agent sets it.</param>
    public StatusHandler(int successBeforePassing, int failuresBeforeWarning, int failuresBeforeCritical)
    {
        _successBeforePassing = successBeforePassing;
        _failuresBeforeCritical = failuresBeforeCritical;
        _failuresBeforeWarning = failuresBeforeWarning == 0 ? failuresBeforeCritical : failuresBeforeWarning;
        _successCounter = successBeforePassing;
        _failuresCounter = failuresBeforeCritical;
    }

    /// <summary>Returns the status to report, or null while a threshold has not been reached.</summary>
    public string? Next(string status)
    {
        if (status is HealthStatus.Passing or HealthStatus.Warning)
        {
            _successCounter++;
            _failuresCounter = 0;
            return _successCounter >= _successBeforePassing ? status : null;
        }
        _failuresCounter++;
        _successCounter = 0;
        if (_failuresCounter >= _failuresBeforeCritical) return status;
        if (_failuresCounter >= _failuresBeforeWarning) return HealthStatus.Warning;
        return null;
    }
}
