using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class DockerCheckTests
{
    [Fact(Timeout = 30_000)]
    public async Task NoDaemonIsCriticalWithAClearReason()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"consul-checks-no-docker-{Guid.NewGuid():N}.sock");
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = "unix://" + socket });
        h.Manager.Start("d", new CheckDefinition { DockerContainerID = "web1", Args = ["/bin/true"], Interval = "10s" });
        var u = await h.DriveUntilUpdate("d");
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.StartsWith("create exec failed for container web1: Post \"http://docker/containers/web1/exec\": ", u.Output);
        Assert.Contains($"dial unix {socket}: connect: no such file or directory", u.Output);
        Assert.Contains("is the Docker daemon running", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpDaemonRefusedIsCritical()
    {
        var port = Defs.ClosedPort();
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = $"tcp://127.0.0.1:{port}" });
        h.Manager.Start("d", new CheckDefinition { DockerContainerID = "web1", Args = ["/bin/true"], Interval = "10s" });
        var u = await h.DriveUntilUpdate("d");
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.Contains($"dial tcp 127.0.0.1:{port}: connect: connection refused", u.Output);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(0, HealthStatus.Passing)]
    [InlineData(1, HealthStatus.Warning)]
    [InlineData(3, HealthStatus.Critical)]
    public async Task ExecExitCodeDecidesStatus(int exitCode, string expected)
    {
        await using var engine = await FakeDockerEngine.StartAsync();
        engine.ExitCode = exitCode;
        engine.Output = "memory ok\n";
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = engine.Host });
        h.Manager.Start("d", new CheckDefinition { DockerContainerID = "web", Args = ["/bin/check", "-v"], Interval = "10s" });
        var u = await h.DriveUntilUpdate("d");
        Assert.Equal(new CheckUpdate("d", expected, "memory ok\n"), u);
        Assert.Contains("\"Cmd\":[\"/bin/check\",\"-v\"]", Assert.Single(engine.Commands));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("gone", "create exec failed for unknown container gone")]
    [InlineData("paused", "create exec failed since container paused is paused or stopped")]
    public async Task ExecCreateErrorsUseConsulsText(string container, string expected)
    {
        await using var engine = await FakeDockerEngine.StartAsync();
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = engine.Host });
        h.Manager.Start("d", new CheckDefinition { DockerContainerID = container, Args = ["true"], Interval = "10s" });
        Assert.Equal(new CheckUpdate("d", HealthStatus.Critical, expected), await h.DriveUntilUpdate("d"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ExecOutputIsCapturedLikeScripts()
    {
        await using var engine = await FakeDockerEngine.StartAsync();
        engine.Output = "0123456789abcdef";
        await using var h = new CheckHarness(new CheckManagerOptions { DockerHost = engine.Host, OutputMaxSize = 6 });
        h.Manager.Start("d", new CheckDefinition { DockerContainerID = "web", Args = ["true"], Interval = "10s" });
        Assert.Equal("Captured 6 of 16 bytes\n...\nabcdef", (await h.DriveUntilUpdate("d")).Output);
    }
}
