using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>Everything a runner needs, resolved by CheckManager from the definition and options.</summary>
internal sealed record CheckSettings(
    string CheckId,
    string? ServiceId,
    CheckDefinition Definition,
    CheckDurations Durations,
    TimeSpan Interval,
    TimeSpan FirstDelay,
    int OutputMaxSize,
    CheckManagerOptions Options,
    ICheckNotifier Notifier,
    TimeProvider Time,
    ILogger Log)
{
    /// <summary>Timeout for network checks: the definition's, else 10s.</summary>
    public TimeSpan NetworkTimeout => Durations.Timeout > TimeSpan.Zero ? Durations.Timeout : CheckDefaults.NetworkTimeout;
}
