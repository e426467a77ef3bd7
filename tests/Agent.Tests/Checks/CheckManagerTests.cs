using System.Net;
using System.Net.Sockets;
using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class CheckManagerTests
{
    [Fact]
    public async Task RunningTracksStartAndStop()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("a", Defs.Ttl("10s"));
        h.Manager.Start("b", Defs.Tcp("127.0.0.1:1"));
        Assert.Equal(["a", "b"], h.Manager.Running.Order());
        h.Manager.Stop("a");
        h.Manager.Stop("missing"); // no-op
        Assert.Equal(["b"], h.Manager.Running);
    }

    [Fact]
    public async Task StartReplacesACheckWithTheSameId()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("a", Defs.Ttl("10s"));
        h.Manager.Start("a", Defs.Ttl("100s"));
        Assert.Single(h.Manager.Running);
        h.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Empty(h.Notifier.Updates); // the old 10s TTL was stopped
        h.Time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(new CheckUpdate("a", HealthStatus.Critical, "TTL expired"), Assert.Single(h.Notifier.Updates));
    }

    [Fact]
    public async Task IntervalBelowOneSecondIsRaisedToIt()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("a", Defs.Tcp("127.0.0.1:1", interval: "100ms"));
        var runner = Assert.IsAssignableFrom<IntervalCheck>(h.Manager.RunnerFor("a"));
        Assert.Equal(TimeSpan.FromSeconds(1), runner.Interval);
    }

    [Fact]
    public async Task FirstRunIsStaggeredWithTheInjectedRandom()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("a", Defs.Tcp("127.0.0.1:1", interval: "30s"));
        var runner = Assert.IsAssignableFrom<IntervalCheck>(h.Manager.RunnerFor("a"));
        var expected = TimeSpan.FromTicks(new Random(1234).NextInt64(TimeSpan.FromSeconds(30).Ticks));
        Assert.Equal(expected, runner.FirstDelay);
        Assert.InRange(runner.FirstDelay, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact(Timeout = 30_000)]
    public async Task FirstProbeHappensOnceTheStaggerHasPassed()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var addr = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            await using var h = new CheckHarness();
            h.Manager.Start("a", Defs.Tcp(addr, interval: "30s"));
            var delay = ((IntervalCheck)h.Manager.RunnerFor("a")!).FirstDelay;
            h.Time.Advance(delay);
            Assert.Equal(HealthStatus.Passing, (await h.WaitForUpdate("a")).Status);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task DisposeStopsEverything()
    {
        var h = new CheckHarness();
        h.Manager.Start("a", Defs.Ttl("10s"));
        h.Manager.Start("b", Defs.Script("/bin/true"));
        await h.Manager.DisposeAsync();
        Assert.Empty(h.Manager.Running);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(h.Notifier.Updates);
        Assert.Throws<ObjectDisposedException>(() => h.Manager.Start("c", Defs.Ttl("10s")));
    }

    [Fact]
    public async Task UnparseableDockerHostIsRefused()
    {
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = "not-a-host" });
        var e = Assert.Throws<ArgumentException>(() =>
            h.Manager.Start("d", new CheckDefinition { DockerContainerID = "x", Args = ["true"], Interval = "10s" }));
        Assert.Equal("unable to parse docker host `not-a-host`", e.Message);
        Assert.Empty(h.Manager.Running);
    }

    /// <summary>Deregisters a check from inside UpdateCheck, as an agent might on critical.</summary>
    private sealed class DeregisteringNotifier : ICheckNotifier
    {
        public CheckManager? Manager;
        public readonly List<CheckUpdate> Updates = [];

        public void UpdateCheck(string checkId, string status, string output)
        {
            Updates.Add(new CheckUpdate(checkId, status, output));
            if (status == HealthStatus.Critical) Manager!.Stop(checkId);
        }
    }

    [Fact]
    public async Task NotifierMayCallBackIntoTheManager()
    {
        var notifier = new DeregisteringNotifier();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var manager = new CheckManager(notifier, new CheckManagerOptions(), time,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        notifier.Manager = manager;
        manager.Start("a", Defs.Ttl("10s"));
        manager.Start("b", Defs.Ttl("10s"));
        manager.UpdateTtl("b", HealthStatus.Passing, "fine");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(manager.Running);
        var seen = notifier.Updates.Select(u => $"{u.CheckId}:{u.Status}").ToList();
        Assert.Equal(["a:critical", "b:critical", "b:passing"], seen.Order());
        Assert.True(seen.IndexOf("b:passing") < seen.IndexOf("b:critical"));
    }
}
