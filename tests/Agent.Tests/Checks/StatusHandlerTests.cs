using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class StatusHandlerTests
{
    private const string P = HealthStatus.Passing, W = HealthStatus.Warning, C = HealthStatus.Critical;

    private static string?[] Run(StatusHandler h, params string[] results) => [.. results.Select(h.Next)];

    [Fact]
    public void WithoutThresholdsEveryResultIsReported() =>
        Assert.Equal(new string?[] { P, C, W, C, P }, Run(new StatusHandler(0, 0, 0), P, C, W, C, P));

    [Fact]
    public void FirstResultIsReportedAtOnceEvenWithThresholds()
    {
        Assert.Equal(C, new StatusHandler(3, 0, 3).Next(C));
        Assert.Equal(P, new StatusHandler(3, 0, 3).Next(P));
    }

    [Fact]
    public void SuccessBeforePassingHoldsBackRecovery() =>
        // After a failure, two successes in a row are needed; warning counts as success.
        Assert.Equal(new string?[] { P, C, null, W, C, null, P }, Run(new StatusHandler(2, 0, 0), P, C, P, W, C, P, P));

    [Fact]
    public void FailuresBeforeCriticalHoldsBackFailure() =>
        // Warning defaults to the critical threshold, so nothing shows until the 3rd failure.
        Assert.Equal(new string?[] { P, null, null, C, C, P }, Run(new StatusHandler(0, 0, 3), P, C, C, C, C, P));

    // FailuresBeforeWarning=2, FailuresBeforeCritical=4 after one pass: C→null, C→W, C→W, C→C.
    [Fact]
    public void WarningThenCriticalAsFailuresAccumulate() =>
        Assert.Equal(new string?[] { P, null, W, W, C, P }, Run(new StatusHandler(0, 2, 4), P, C, C, C, C, P));
}
