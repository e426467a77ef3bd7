using System.Net;
using System.Net.Sockets;
using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class TcpUdpCheckTests
{
    [Fact(Timeout = 30_000)]
    public async Task TcpPassesWhenSomethingListens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var addr = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
            await using var h = new CheckHarness();
            h.Manager.Start("tcp", Defs.Tcp(addr));
            var u = await h.DriveUntilUpdate("tcp");
            Assert.Equal(new CheckUpdate("tcp", HealthStatus.Passing, $"TCP connect {addr}: Success"), u);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpRefusedIsCritical()
    {
        var addr = $"127.0.0.1:{Defs.ClosedPort()}";
        await using var h = new CheckHarness();
        h.Manager.Start("tcp", Defs.Tcp(addr));
        var u = await h.DriveUntilUpdate("tcp");
        Assert.Equal(new CheckUpdate("tcp", HealthStatus.Critical, $"dial tcp {addr}: connect: connection refused"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpBadAddressIsCritical()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("tcp", Defs.Tcp("127.0.0.1"));
        var u = await h.DriveUntilUpdate("tcp");
        Assert.Equal(new CheckUpdate("tcp", HealthStatus.Critical, "dial tcp address 127.0.0.1: missing port in address"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task UdpPassesWhenTheServerAnswers()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var addr = $"127.0.0.1:{((IPEndPoint)server.Client.LocalEndPoint!).Port}";
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        var echo = Task.Run(async () =>
        {
            var got = await server.ReceiveAsync(cts.Token);
            await server.SendAsync(new byte[] { 1 }, got.RemoteEndPoint, cts.Token);
        });
        await using var h = new CheckHarness();
        h.Manager.Start("udp", Defs.Udp(addr));
        var u = await h.DriveUntilUpdate("udp");
        Assert.Equal(new CheckUpdate("udp", HealthStatus.Passing, $"UDP connect {addr}: Success"), u);
        await echo;
    }

    [Fact(Timeout = 30_000)]
    public async Task UdpSilenceUntilTimeoutIsPassing()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var addr = $"127.0.0.1:{((IPEndPoint)server.Client.LocalEndPoint!).Port}";
        await using var h = new CheckHarness();
        var def = Defs.Udp(addr);
        def.Timeout = "3s";
        h.Manager.Start("udp", def);
        var u = await h.DriveUntilUpdate("udp", duringProbes: true);
        Assert.Equal(new CheckUpdate("udp", HealthStatus.Passing, $"UDP connect {addr}: Success"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task UdpPortUnreachableIsCritical()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))) port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        var addr = $"127.0.0.1:{port}";
        await using var h = new CheckHarness();
        h.Manager.Start("udp", Defs.Udp(addr));
        var u = await h.DriveUntilUpdate("udp", step: TimeSpan.FromMilliseconds(100));
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.Matches($@"^read udp 127\.0\.0\.1:\d+->127\.0\.0\.1:{port}: read: connection refused$", u.Output);
    }
}
