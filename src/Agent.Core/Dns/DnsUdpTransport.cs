using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>
/// The UDP side of the DNS server. Dedicated threads receive datagrams with blocking calls and
/// answer repeat questions on the spot from <see cref="DnsWireCache"/>; everything else becomes a
/// one-datagram connection for ARSoft's server pipeline (parse, <see cref="DnsQueryHandler"/>,
/// encode, truncation), whose response is then offered to the cache. ARSoft's own UDP transport
/// spends two thread-pool hops and a parse per query, which capped the server at well under half
/// of dnsmasq's rate.
/// </summary>
internal sealed class DnsUdpTransport : IServerTransport
{
    private const int MaxDatagram = 65_535;
    /// <summary>Queries waiting for the full pipeline; beyond this they are dropped, as a full socket buffer would.</summary>
    private const int MaxPendingMisses = 4096;

    private readonly IPEndPoint _endpoint;
    private readonly DnsQueryHandler _handler;
    private readonly DnsWireCache _cache;
    private readonly int _receivers;
    private readonly Socket _socket;
    private readonly Channel<MissConnection> _misses =
        Channel.CreateBounded<MissConnection>(new BoundedChannelOptions(MaxPendingMisses) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _closed;

    public DnsUdpTransport(IPEndPoint endpoint, DnsQueryHandler handler, DnsWireCache cache, int receivers = 0)
    {
        _endpoint = endpoint;
        _handler = handler;
        _cache = cache;
        _receivers = receivers > 0 ? receivers : Math.Clamp(Environment.ProcessorCount, 1, 4);
        _socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (endpoint.Address.Equals(IPAddress.IPv6Any)) _socket.DualMode = true;
    }

    /// <summary>As ARSoft's UDP transport: responses over 512 bytes are cut unless the query's EDNS allows more.</summary>
    public ushort DefaultAllowedResponseSize => 512;
    public bool SupportsMultipleResponses => false;
    public bool AllowTruncatedResponses => true;
    public TransportProtocol TransportProtocol => TransportProtocol.Udp;

    public void Bind()
    {
        _socket.Bind(_endpoint);
        for (var i = 0; i < _receivers; i++)
        {
            // Background threads: they end when Close() shuts the socket, and never hold up process exit.
            new Thread(ReceiveLoop) { IsBackground = true, Name = $"dns-udp-{i}" }.Start();
        }
    }

    public void Close()
    {
        Volatile.Write(ref _closed, true);
        _socket.Close();
        _misses.Writer.TryComplete();
    }

    public void Dispose() => Close();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        try
        {
            return await _misses.Reader.ReadAsync(token);
        }
        catch (Exception)
        {
            // Stopped (cancelled or completed); ARSoft's accept loop ends on its token.
            return null;
        }
    }

    private void ReceiveLoop()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        var reply = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        var from = new SocketAddress(_socket.AddressFamily);
        while (true)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (Volatile.Read(ref _closed))
            {
                return;
            }
            catch (SocketException)
            {
                continue; // an ICMP error from an earlier reply, an oversized datagram: keep serving
            }
            try
            {
                Handle(buffer.AsSpan(0, received), reply, from);
            }
            catch (Exception)
            {
                // One packet's failure (a reply that cannot be sent, a stop in progress) must not end
                // this thread: UDP drops are the client's to retry.
            }
        }
    }

    private void Handle(ReadOnlySpan<byte> query, byte[] reply, SocketAddress from)
    {
        var verdict = PacketGuard.Check(query);
        if (verdict != PacketVerdict.Accept)
        {
            if (PacketGuard.Reply(query, verdict) is { } refusal) _socket.SendTo(refusal, SocketFlags.None, from);
            return;
        }
        var (index, scope) = _handler.Generation();
        // A lookup the leader must vouch for waits for it in the full pipeline, never on this thread.
        if (!_handler.NeedsLeader() && _cache.TryAnswer(index, scope, query, reply, Random.Shared, out var length))
        {
            _socket.SendTo(reply.AsSpan(0, length), SocketFlags.None, from);
            return;
        }
        // The full pipeline: ARSoft's packages carry a two-byte length prefix.
        var framed = new byte[query.Length + DnsRawPackage.LENGTH_HEADER_LENGTH];
        framed[0] = (byte)(query.Length >> 8);
        framed[1] = (byte)query.Length;
        query.CopyTo(framed.AsSpan(DnsRawPackage.LENGTH_HEADER_LENGTH));
        var remote = (IPEndPoint)_endpoint.Create(from);
        DnsReceivedRawPackage package;
        try
        {
            package = new DnsReceivedRawPackage(framed, remote, _endpoint);
        }
        catch (Exception)
        {
            return; // ID or question unreadable to ARSoft: dropped, as its own transport does
        }
        _misses.Writer.TryWrite(new MissConnection(this, package, index, scope));
    }

    /// <summary>One datagram handed to ARSoft's pipeline, remembering the cache generation it was looked up in.</summary>
    private sealed class MissConnection(DnsUdpTransport transport, DnsReceivedRawPackage package, ulong index, object scope) : IServerConnection
    {
        public IServerTransport Transport => transport;
        public IPEndPoint RemoteEndPoint => package.RemoteEndpoint;
        public IPEndPoint LocalEndPoint => package.LocalEndpoint;
        public bool CanRead { get; private set; } = true;

        public Task<bool> InitializeAsync(CancellationToken token) => Task.FromResult(true);

        public Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            CanRead = false;
            return Task.FromResult<DnsReceivedRawPackage?>(package);
        }

        /// <summary>
        /// Sends synchronously: an asynchronous call would switch the socket to non-blocking mode
        /// for good, and the receive threads' blocking calls would then each wait on epoll.
        /// </summary>
        public Task<bool> SendAsync(DnsRawPackage response, CancellationToken token)
        {
            var bytes = response.ToArraySegment(false);
            try
            {
                if (transport._socket.SendTo(bytes, SocketFlags.None, package.RemoteEndpoint) != bytes.Count) return Task.FromResult(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return Task.FromResult(false);
            }
            var query = package.ToArraySegment(false);
            if (transport._handler.AnswersFromCatalog(query)) transport._cache.Offer(index, scope, query, bytes);
            return Task.FromResult(true);
        }

        public void Dispose() { }
    }
}
