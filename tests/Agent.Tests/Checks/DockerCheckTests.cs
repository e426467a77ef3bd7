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
}
