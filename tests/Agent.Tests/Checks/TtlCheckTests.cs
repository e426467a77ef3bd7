using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class TtlCheckTests
{
    [Fact(Timeout = 30_000)]
    public async Task ExpiresToCriticalWithoutReports()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("ttl", Defs.Ttl("10s"));
        h.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, h.CountFor("ttl"));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var u = await h.WaitForUpdate("ttl");
        Assert.Equal(new CheckUpdate("ttl", HealthStatus.Critical, "TTL expired"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task ReportsRestartTheTtlAndExpiryKeepsLastOutput()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("ttl", Defs.Ttl("10s"));
        h.Time.Advance(TimeSpan.FromSeconds(8));
        Assert.True(h.Manager.UpdateTtl("ttl", HealthStatus.Passing, "all good"));
        Assert.Equal(new CheckUpdate("ttl", HealthStatus.Passing, "all good"), h.Notifier.Updates.Single());

        h.Time.Advance(TimeSpan.FromSeconds(8)); // 16s since start, 8s since the report
        Assert.Single(h.Notifier.Updates);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        var expired = await h.WaitForUpdate("ttl", 2);
        Assert.Equal(HealthStatus.Critical, expired.Status);
        Assert.Equal("TTL expired (last output before timeout follows): all good", expired.Output);
    }

    [Fact]
    public async Task OutputIsTruncatedToOutputMaxSize()
    {
        await using var h = new CheckHarness(new CheckManagerOptions { OutputMaxSize = 4096 });
        var def = Defs.Ttl("10s");
        def.OutputMaxSize = 8;
        h.Manager.Start("ttl", def);
        h.Manager.UpdateTtl("ttl", HealthStatus.Warning, "0123456789abcdef");
        Assert.Equal(new CheckUpdate("ttl", HealthStatus.Warning, "01234567 ... (captured 8 of 16 bytes)"), h.Notifier.Updates.Single());
    }

    [Fact]
    public async Task AgentLimitAppliesWhenCheckAsksForMore()
    {
        await using var h = new CheckHarness(new CheckManagerOptions { OutputMaxSize = 4 });
        var def = Defs.Ttl("10s");
        def.OutputMaxSize = 100;
        h.Manager.Start("ttl", def);
        h.Manager.UpdateTtl("ttl", HealthStatus.Passing, "123456");
        Assert.Equal("1234 ... (captured 4 of 6 bytes)", h.Notifier.Updates.Single().Output);
    }

    [Fact]
    public async Task UpdateTtlIsFalseForUnknownOrNonTtlChecks()
    {
        await using var h = new CheckHarness();
        Assert.False(h.Manager.UpdateTtl("nope", HealthStatus.Passing, ""));
        h.Manager.Start("tcp", Defs.Tcp("127.0.0.1:1"));
        Assert.False(h.Manager.UpdateTtl("tcp", HealthStatus.Passing, ""));
    }

    [Fact]
    public async Task StoppedTtlCheckNeverExpires()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("ttl", Defs.Ttl("10s"));
        h.Manager.Stop("ttl");
        h.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(h.Notifier.Updates);
        Assert.Empty(h.Manager.Running);
    }
}
