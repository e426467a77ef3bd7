using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Consul.Core.State;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Dns;

/// <summary>
/// Consul's DNS interface: an ARSoft.Tools.Net server on UDP and TCP (same port) whose queries
/// go through <see cref="PacketGuard"/> and then <see cref="DnsQueryHandler"/>. On UDP, repeat
/// questions are answered from <see cref="DnsWireCache"/> before they reach ARSoft.
/// </summary>
public sealed class ConsulDnsServer : IAsyncDisposable
{
    private const int IoTimeoutMs = 5000;
    private const int TcpKeepAliveMs = 120_000;
    private const int BindAttempts = 20;

    private readonly DnsOptions _options;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private Running? _server;

    /// <summary>
    /// The ARSoft server and its transports. ARSoft's Stop skips closing the transports when a
    /// connection loop had not yet started (it rethrows the loop task's cancellation), so the
    /// sockets are closed here too.
    /// </summary>
    private sealed record Running(DnsServer Server, IServerTransport[] Transports)
    {
        public void Close()
        {
            try { ((IDisposable)Server).Dispose(); }
            finally
            {
                foreach (var transport in Transports) transport.Dispose();
            }
        }
    }

    public ConsulDnsServer(DnsOptions options, StateStore store, ILoggerFactory logs, TimeProvider? time = null, Random? random = null, ICommandLog? log = null)
    {
        _options = options;
        _log = logs.CreateLogger("Consul.Dns");
        time ??= TimeProvider.System;
        var resolver = new DnsResolver(options, time, random);
        var recursor = options.Recursors.Count > 0
            ? new Recursor(options.Recursors, options.RecursorTimeout, logs.CreateLogger("Consul.Dns.Recursor"), options.RecursorStrategy, random)
            : null;
        Handler = new DnsQueryHandler(store, resolver, new DnsAnswerCache(time, options.AnswerCacheMaxAge), recursor, log, time);
        WireCache = new DnsWireCache(time, options.AnswerCacheMaxAge);
    }

    public DnsQueryHandler Handler { get; }

    /// <summary>Encoded UDP responses for repeat questions (see <see cref="DnsUdpTransport"/>).</summary>
    public DnsWireCache WireCache { get; }

    /// <summary>The port bound on both UDP and TCP (the ephemeral one when options.Port is 0).</summary>
    public int Port { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) throw new InvalidOperationException("DNS server already started");
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var port = _options.Port != 0 ? _options.Port : FreePort(_options.BindAddress);
            var endpoint = new IPEndPoint(_options.BindAddress, port);
            IServerTransport[] transports =
            [
                new GuardedServerTransport(new DnsUdpTransport(endpoint, Handler, WireCache), _options.DisableCompression),
                new GuardedServerTransport(new TcpServerTransport(endpoint, IoTimeoutMs, TcpKeepAliveMs), _options.DisableCompression),
            ];
            var server = new DnsServer(transports);
            server.QueryReceived += OnQueryAsync;
            server.ExceptionThrown += OnExceptionAsync;
            try
            {
                server.Start();
            }
            catch (SocketException e)
            {
                // Release whichever transport did bind before giving up or retrying.
                foreach (var transport in transports) transport.Dispose();
                if (_options.Port != 0 || attempt >= BindAttempts) throw;
                // Another process took the probed port between probing and binding; try another.
                _log.LogDebug("DNS bind to {Endpoint} failed ({Error}); retrying", endpoint, e.SocketErrorCode);
                continue;
            }
            _server = new Running(server, transports);
            Port = port;
            _log.LogInformation("Started DNS server on {Endpoint} (udp, tcp)", endpoint);
            return Task.CompletedTask;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is null) return Task.CompletedTask;
        _stopping.Cancel();
        // ARSoft's Stop waits for its accept loops; keep that off the caller's thread.
        return Task.Run(() =>
        {
            try { server.Close(); }
            catch (Exception e) { _log.LogDebug(e, "DNS server stop"); }
        }, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query) return; // dynamic updates etc.: ARSoft answers with a failure
        e.Response = await Handler.HandleAsync(query, e.TransportProtocol == TransportProtocol.Tcp, _stopping.Token);
    }

    private Task OnExceptionAsync(object sender, ExceptionEventArgs e)
    {
        _log.LogDebug(e.Exception, "DNS request failed");
        return Task.CompletedTask;
    }

    /// <summary>A port free on both UDP and TCP right now.</summary>
    private static int FreePort(IPAddress address)
    {
        while (true)
        {
            using var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            using var tcp = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                tcp.Bind(new IPEndPoint(address, port));
                return port;
            }
            catch (SocketException)
            {
                // TCP side taken; probe again.
            }
        }
    }
}
