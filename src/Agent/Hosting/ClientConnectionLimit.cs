using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Consul.Agent.Hosting;

/// <summary>
/// How many TCP connections one client IP may hold open to a listener at once (0 = no limit):
/// limits.http_max_conns_per_client for the HTTP and HTTPS listeners (Consul default 200),
/// limits.rpc_max_conns_per_client for the server port (default 100). A connection over the
/// limit is closed at once, as Consul's connlimit does; on the HTTP listeners a 429 goes out
/// first (Consul's HTTPConnStateFuncWithDefault429Handler). The rest are served as usual.
/// </summary>
public sealed class ClientConnectionLimit(int perClient, string setting, ILogger log)
{
    private static readonly byte[] TooManyRequests = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray();

    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Kestrel connection middleware; put it first on each listener (before TLS).</summary>
    /// <param name="answer429">Plain HTTP: tell the refused client why before closing.</param>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware(bool answer429 = false) => next => async connection =>
    {
        if (perClient <= 0 || connection.RemoteEndPoint is not IPEndPoint { Address: var ip })
        {
            await next(connection);
            return;
        }
        if (_open.AddOrUpdate(ip, 1, (_, n) => n + 1) > perClient)
        {
            Release(ip);
            log.LogError("Rejecting connection from {Remote}: too many connections from this client ({Setting} = {Limit})", ip, setting, perClient);
            if (!answer429)
            {
                connection.Abort(new ConnectionAbortedException("too many connections from this client"));
                return;
            }
            // Bounded as Consul's 10 ms write deadline; completing the output sends it, then closes.
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(10));
            try { await connection.Transport.Output.WriteAsync(TooManyRequests, deadline.Token); }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException) { }
            await connection.Transport.Output.CompleteAsync();
            return;
        }
        try
        {
            await next(connection);
        }
        finally
        {
            Release(ip);
        }
    };

    /// <summary>Connections currently counted for a client (for tests).</summary>
    public int OpenFrom(IPAddress ip) => _open.GetValueOrDefault(ip);

    private void Release(IPAddress ip)
    {
        // Remove the entry when it reaches zero, so idle clients leave nothing behind.
        while (true)
        {
            var n = _open.GetValueOrDefault(ip);
            if (n <= 1)
            {
                if (_open.TryRemove(new KeyValuePair<IPAddress, int>(ip, n))) return;
                if (!_open.ContainsKey(ip)) return;
            }
            else if (_open.TryUpdate(ip, n - 1, n)) return;
        }
    }
}
