using Consul.Agent.Hosting;

namespace Consul.Tests.Config;

public sealed class ShutdownLeaveTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Theory]
    // Consul's defaults: servers stay members on SIGTERM and SIGINT; clients leave on both.
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(false, false, true)]
    [InlineData(false, true, true)]
    public void Defaults_follow_consul(bool server, bool interrupted, bool leaves)
    {
        var config = server ? _f.Load("-server", "-data-dir=/tmp/x") : _f.Load("-data-dir=/tmp/x");
        Assert.Equal(leaves, AgentRuntime.LeavesOnShutdown(false, interrupted, config));
    }

    [Fact]
    public void A_leave_request_always_leaves_and_the_settings_are_honoured()
    {
        var server = _f.Load("-server", "-data-dir=/tmp/x");
        Assert.True(AgentRuntime.LeavesOnShutdown(true, false, server));
        Assert.True(AgentRuntime.LeavesOnShutdown(false, false, server with { LeaveOnTerminate = true }));
        Assert.True(AgentRuntime.LeavesOnShutdown(false, true, server with { SkipLeaveOnInterrupt = false }));
    }
}
