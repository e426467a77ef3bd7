using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Gossip.Transport;

/// <summary>
/// UDP and TCP on one address and port (serf_lan 8301, serf_wan 8302). A stream message
/// is one TCP connection carrying a 4-byte big-endian length and the payload.
/// </summary>
public sealed class NetTransport : IGossipTransport
{
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly ILogger _log;
    private readonly int _maxStreamSize;
    private readonly CancellationTokenSource _stop = new();
    private Task _udpLoop = Task.CompletedTask, _tcpLoop = Task.CompletedTask;
    private Func<IncomingPacket, string?> _onPacket = _ => null;

    /// <summary>Bad frames (oversized, truncated) seen on the stream listener.</summary>
    public long BadFrames;

    public NetTransport(IPEndPoint bind, ILogger? logger = null, int maxStreamSize = 10 * 1024 * 1024)
    {
        _log = logger ?? NullLogger.Instance;
        _maxStreamSize = maxStreamSize;
        _tcp = new TcpListener(bind);
        _tcp.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _tcp.Start();
        // With port 0 the OS picks a TCP port; UDP takes the same number.
        var actual = (IPEndPoint)_tcp.LocalEndpoint;
        _udp = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _udp.ReceiveBufferSize = 2 * 1024 * 1024;
            _udp.Bind(actual);
        }
        catch
        {
            _tcp.Stop();
            _udp.Dispose();
            throw;
        }
        LocalEndPoint = actual;
    }

    public IPEndPoint LocalEndPoint { get; }

    public void Start(Func<IncomingPacket, string?> onPacket)
    {
        _onPacket = onPacket;
        _udpLoop = Task.Run(UdpLoop);
        _tcpLoop = Task.Run(TcpLoop);
    }

    public void SendPacket(IPEndPoint to, byte[] payload)
    {
        try { _udp.SendTo(payload, SocketFlags.None, to); }
        catch (SocketException e) { _log.LogDebug("memberlist: UDP send to {To} failed: {Error}", to, e.Message); }
        catch (ObjectDisposedException) { }
    }

    public async Task SendStreamAsync(IPEndPoint to, byte[] payload, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        cts.CancelAfter(timeout);
        using var client = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        // Connect from our own address so peers see the right source on multi-address hosts.
        client.Bind(new IPEndPoint(LocalEndPoint.Address, 0));
        try
        {
            await client.ConnectAsync(to, cts.Token);
            var header = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
            await client.SendAsync(header, SocketFlags.None, cts.Token);
            await client.SendAsync(payload, SocketFlags.None, cts.Token);
            client.Shutdown(SocketShutdown.Send);
            // The peer closes without a word on success, or answers with an error frame.
            var reply = await ReadFrameOrEof(client, cts.Token);
            if (reply != null) throw new GossipRemoteException(System.Text.Encoding.UTF8.GetString(reply));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"i/o timeout sending to {to}");
        }
    }

    private async Task UdpLoop()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var r = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                if (r.ReceivedBytes == 0) continue;
                _onPacket(new IncomingPacket((IPEndPoint)r.RemoteEndPoint, buffer.AsSpan(0, r.ReceivedBytes).ToArray(), false));
            }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e) { _log.LogDebug("memberlist: UDP receive error: {Error}", e.Message); }
            catch (Exception e) { _log.LogError(e, "memberlist: error handling UDP packet"); }
        }
    }

    private async Task TcpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket conn;
            try { conn = await _tcp.AcceptSocketAsync(_stop.Token); }
            catch (OperationCanceledException) { break; }
            catch (ObjectDisposedException) { break; }
            catch (SocketException e) { _log.LogDebug("memberlist: TCP accept error: {Error}", e.Message); continue; }
            _ = Task.Run(() => HandleConnection(conn));
        }
    }

    private async Task HandleConnection(Socket conn)
    {
        using var _ = conn;
        var from = (IPEndPoint)conn.RemoteEndPoint!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var header = new byte[4];
            await ReadExactly(conn, header, cts.Token);
            var len = BinaryPrimitives.ReadInt32BigEndian(header);
            if (len <= 0 || len > _maxStreamSize)
            {
                Interlocked.Increment(ref BadFrames);
                _log.LogDebug("memberlist: dropping stream from {From}: bad frame length {Length}", from, len);
                return;
            }
            var payload = new byte[len];
            await ReadExactly(conn, payload, cts.Token);
            var error = _onPacket(new IncomingPacket(from, payload, true));
            if (error != null)
            {
                var text = System.Text.Encoding.UTF8.GetBytes(error);
                var frame = new byte[4 + text.Length];
                BinaryPrimitives.WriteInt32BigEndian(frame, text.Length);
                text.CopyTo(frame, 4);
                await conn.SendAsync(frame, SocketFlags.None, cts.Token);
            }
            conn.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or EndOfStreamException)
        {
            Interlocked.Increment(ref BadFrames);
            _log.LogDebug("memberlist: stream from {From} failed: {Error}", from, e.Message);
        }
        catch (Exception e) { _log.LogError(e, "memberlist: error handling stream from {From}", from); }
    }

    private static async Task<byte[]?> ReadFrameOrEof(Socket s, CancellationToken ct)
    {
        var header = new byte[4];
        var n = await s.ReceiveAsync(header, SocketFlags.None, ct);
        if (n == 0) return null;
        if (n < 4) await ReadExactly(s, header.AsMemory(n), ct);
        var len = Math.Clamp(BinaryPrimitives.ReadInt32BigEndian(header), 0, 4096);
        var body = new byte[len];
        await ReadExactly(s, body, ct);
        return body;
    }

    private static Task ReadExactly(Socket s, byte[] buffer, CancellationToken ct) => ReadExactly(s, buffer.AsMemory(), ct);

    private static async Task ReadExactly(Socket s, Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await s.ReceiveAsync(buffer[read..], SocketFlags.None, ct);
            if (n == 0) throw new EndOfStreamException("connection closed mid-frame");
            read += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _tcp.Stop();
        _udp.Dispose();
        try { await Task.WhenAll(_udpLoop, _tcpLoop); } catch (Exception) { /* loops end on disposal */ }
        _stop.Dispose();
    }
}
