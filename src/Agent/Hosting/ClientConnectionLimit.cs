using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Consul.Agent.Hosting;

/// <summary>
/// How many TCP connections one client IP may hold open to a listener at once (0 = no limit):
/// limits.http_max_conns_per_client for the HTTP and HTTPS listeners (Consul default 200),
/// limits.rpc_max_conns_per_client for the server port (default 100). A connection over the
/// limit is closed at once, as Consul's connlimit does; the rest are served as usual.
/// </summary>
public sealed class ClientConnectionLimit(int perClient, string setting, ILogger log)
{
    private readonly ConcurrentDictionary<IPAddress, int> _open = new();

    /// <summary>Kestrel connection middleware; put it first on each listener.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> Middleware => next => async connection =>
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
            connection.Abort(new ConnectionAbortedException("too many connections from this client"));
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
