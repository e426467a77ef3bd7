using System.Net;
using System.Net.Sockets;
using Consul.Tests.Http;

namespace Consul.Tests.EndToEnd;

/// <summary>http_config.max_header_bytes and limits.http_max_conns_per_client on a real listener.</summary>
public sealed class HttpListenerLimitsTests
{
    [Fact(Timeout = 120_000)]
    public async Task Header_bytes_and_connections_per_client_are_limited_as_configured()
    {
        await using var agent = await AgentProcess.StartDevAsync("-hcl",
            "http_config { max_header_bytes = 4096 } limits { http_max_conns_per_client = 3 }");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        // Headers: within the limit served, beyond it refused (431) — where Kestrel's own default would be 32 KiB.
        Assert.Equal(HttpStatusCode.OK, (await SendWithHeader(http, agent, 1000)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await SendWithHeader(http, agent, 8000)).StatusCode);

        // Connections: three held open are fine, a fourth is closed at once, and once one goes another may come.
        var endpoint = new IPEndPoint(IPAddress.Parse(agent.Address), 8500);
        var held = new List<Socket>();
        try
        {
            // The HttpClient above may still hold a pooled connection: let it go first.
            http.Dispose();
            await AgentTestHost.WaitUntil(async () =>
            {
                foreach (var s in held) s.Dispose();
                held.Clear();
                // One at a time: Kestrel counts accepted connections on the thread pool, in any order.
                for (var i = 0; i < 3; i++)
                {
                    held.Add(await ConnectAsync(endpoint));
                    if (!await IsServedAsync(held[^1])) return false;
                }
                return true;
            }, TimeSpan.FromSeconds(30), "three connections served");
            using (var fourth = await ConnectAsync(endpoint))
                Assert.False(await IsServedAsync(fourth), "a fourth connection from the same address was served");
            // As Consul's HTTP listener, the refused connection says why before it closes.
            using (var fifth = await ConnectAsync(endpoint))
                Assert.StartsWith("HTTP/1.1 429 Too Many Requests", await FirstLineAsync(fifth));
            held[0].Dispose();
            held.RemoveAt(0);
            await AgentTestHost.WaitUntil(async () =>
            {
                using var again = await ConnectAsync(endpoint);
                return await IsServedAsync(again);
            }, TimeSpan.FromSeconds(30), "a new connection once one closed");
        }
        finally
        {
            foreach (var s in held) s.Dispose();
        }
    }

    private static Task<HttpResponseMessage> SendWithHeader(HttpClient http, AgentProcess agent, int bytes)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, agent.HttpAddr + "/v1/status/leader");
        request.Headers.Add("X-Padding", new string('x', bytes));
        return http.SendAsync(request);
    }

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        return socket;
    }

    /// <summary>The first line the server sends on a connection (without sending anything first), or "" if it just closes.</summary>
    private static async Task<string> FirstLineAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await socket.ReceiveAsync(buffer, timeout.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
    }

    /// <summary>Sends a request on the connection and reports whether an HTTP answer came back (a refused one is closed).</summary>
    private static async Task<bool> IsServedAsync(Socket socket)
    {
        try
        {
            await socket.SendAsync("GET /v1/status/leader HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[256];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var n = await socket.ReceiveAsync(buffer, timeout.Token);
            return n > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
