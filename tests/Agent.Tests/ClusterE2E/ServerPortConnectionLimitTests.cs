using System.Net;
using System.Net.Sockets;

namespace Consul.Tests.ClusterE2E;

/// <summary>limits.rpc_max_conns_per_client on a real server's RPC port (127.0.0.182).</summary>
public sealed class ServerPortConnectionLimitTests
{
    [Fact(Timeout = 120_000)]
    public async Task Connections_over_the_limit_from_one_address_are_closed()
    {
        await using var cluster = new LocalCluster();
        cluster.StartServer("limited", "127.0.0.182", 0, "127.0.0.182", "-bootstrap", "-hcl", "limits { rpc_max_conns_per_client = 2 }");
        await cluster.WaitUntilAsync("a leader", TimeSpan.FromSeconds(60), async () => (await cluster.LeaderAsync("limited")).Length > 0);

        var endpoint = new IPEndPoint(IPAddress.Parse("127.0.0.182"), 8300);
        using var first = await ConnectAsync(endpoint);
        using var second = await ConnectAsync(endpoint);
        using var third = await ConnectAsync(endpoint);
        // The third is closed by the server straight away; the first two stay open (waiting for a preface).
        Assert.True(await ClosedWithinAsync(third, TimeSpan.FromSeconds(10)), "the third connection was not closed");
        Assert.False(await ClosedWithinAsync(first, TimeSpan.FromSeconds(1)), "the first connection was closed");
        Assert.Contains("limits.rpc_max_conns_per_client = 2", cluster["limited"].Output);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    private static async Task<bool> ClosedWithinAsync(Socket socket, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await socket.ReceiveAsync(new byte[16], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true; // reset
        }
    }
}
