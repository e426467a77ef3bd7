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
        // Kestrel runs each accepted connection's middleware on the thread pool, so three connects in
        // a row may be counted in any order. An HTTP/2 handshake proves a connection was counted and let
        // through before the next one is opened.
        using var first = await ConnectAsync(endpoint);
        await HandshakeAsync(first);
        using var second = await ConnectAsync(endpoint);
        await HandshakeAsync(second);
        // The third is closed by the server straight away; the first two stay open.
        Assert.True(await ClosedOnConnectAsync(endpoint, TimeSpan.FromSeconds(10)), "the third connection was not closed");
        Assert.False(await ClosedWithinAsync(first, TimeSpan.FromSeconds(1)), "the first connection was closed");
        // The agent's log is read from its stdout as it comes; the refusal may land just after the close.
        await cluster.WaitUntilAsync("the refusal logged", TimeSpan.FromSeconds(10),
            () => Task.FromResult(cluster["limited"].Output.Contains("limits.rpc_max_conns_per_client = 2")));
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the HTTP/2 client preface and an empty SETTINGS frame; waits for the server's SETTINGS.</summary>
    private static async Task HandshakeAsync(Socket socket)
    {
        byte[] preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];
        await socket.SendAsync(preface);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[9];
        var read = 0;
        while (read < header.Length)
        {
            var n = await socket.ReceiveAsync(header.AsMemory(read), timeout.Token);
            Assert.True(n > 0, "the server closed a connection within the limit");
            read += n;
        }
        Assert.Equal(4, header[3]); // frame type SETTINGS
    }

    /// <summary>Connects and waits for the server to close; a reset that beats the connect's own completion counts too.</summary>
    private static async Task<bool> ClosedOnConnectAsync(IPEndPoint endpoint, TimeSpan wait)
    {
        Socket socket;
        try { socket = await ConnectAsync(endpoint); }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset) { return true; }
        using (socket) return await ClosedWithinAsync(socket, wait);
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
