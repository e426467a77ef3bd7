using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Consul.Core.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft;

/// <summary>
/// <see cref="IRaftTransport"/> over one plain TCP (or TLS) connection per peer, on the server
/// RPC port next to gRPC: the connection opens with <see cref="RaftStreamListener.Preamble"/>
/// (Consul's own first byte for Raft on port 8300), then carries length-prefixed
/// <see cref="RaftMessageCodec"/> frames one way. Replies are ordinary messages on the peer's
/// own connection back. Snapshots go through <see cref="GrpcRaftTransport"/> in chunks.
/// <para>
/// Why not gRPC for everything: each HTTP/2 message crossed four or five thread hops (the
/// client's write loop, Kestrel's frame reader, the stream's body pipe, the gRPC reader), about
/// 200 µs each way on this machine against a 20-30 µs TCP round trip — most of a commit at one
/// proposer. A write here usually completes inline on the calling (Raft loop) thread.
/// </para>
/// </summary>
public sealed class TcpRaftTransport(GrpcRaftTransport snapshots, RpcClientTls? tls = null, ILogger? logger = null, TimeProvider? time = null)
    : IRaftTransport
{
    private readonly ConcurrentDictionary<string, Peer> _peers = new();
    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private RaftReceiver? _receiver;
    private volatile bool _disposed;

    /// <summary>Carries InstallSnapshot in chunks; its gRPC service (<see cref="RaftGrpcService"/>) also takes any message.</summary>
    public GrpcRaftTransport Snapshots => snapshots;

    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Snapshots arrive over gRPC, everything else through <see cref="RaftStreamListener"/>: both end here.</summary>
    public void Start(RaftReceiver receiver)
    {
        _receiver = receiver;
        snapshots.Start(receiver);
    }

    /// <summary>
    /// Called by <see cref="RaftStreamListener"/> with the frames of one read: stepped on its
    /// thread when the node is idle (<see cref="RaftReceiver.StepNow"/>).
    /// </summary>
    public void Deliver(IReadOnlyList<RaftMessage> messages) => _receiver?.StepNow(messages);

    public async Task SendAsync(string address, RaftMessage message, CancellationToken cancellationToken)
    {
        if (message.Type == MessageType.InstallSnapshot)
        {
            await snapshots.SendAsync(address, message, cancellationToken).ConfigureAwait(false);
            return;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        var peer = _peers.GetOrAdd(address, _ => new Peer());
        if (_time.GetUtcNow() < peer.RetryAfter) throw new IOException($"raft: {address} unreachable (backing off)");
        var frame = RaftMessageCodec.EncodeFramed(message);
        // Callers keep one send per peer in flight; the gate keeps frames whole if one does not.
        if (!peer.Gate.Wait(0)) await peer.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var link = peer.Link is { IsOpen: true } open ? open : peer.Link = await ConnectAsync(address, cancellationToken).ConfigureAwait(false);
            var write = link.Stream.WriteAsync(frame, cancellationToken);
            // Usually complete already: the frame fits the socket's send buffer.
            if (!write.IsCompletedSuccessfully) await write.AsTask().WaitAsync(SendTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException
                                      or System.Security.Authentication.AuthenticationException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _log.LogDebug(e, "raft: connection to {Address} failed; reconnecting after back-off", address);
            peer.Reset(_time.GetUtcNow() + ReconnectBackoff);
            throw new IOException($"raft: sending to {address} failed: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            // The caller gave up (its sender stopped): a frame may be half written, so the link cannot be reused.
            peer.Reset(DateTimeOffset.MinValue);
            throw;
        }
        finally
        {
            peer.Gate.Release();
        }
    }

    private async Task<Link> ConnectAsync(string address, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(EndPoint(address), timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var options = tls.ClientOptions(address);
                options.TargetHost = address[..address.LastIndexOf(':')].Trim('[', ']');
                await ssl.AuthenticateAsClientAsync(options, timeout.Token).ConfigureAwait(false);
            }
            await stream.WriteAsync(RaftStreamListener.Preamble, timeout.Token).ConfigureAwait(false);
            var link = new Link(stream);
            _ = link.WatchAsync();
            return link;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static EndPoint EndPoint(string address) =>
        IPEndPoint.TryParse(address, out var ip) ? ip
            : new DnsEndPoint(address[..address.LastIndexOf(':')], int.Parse(address[(address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _receiver = null;
        foreach (var p in _peers.Values) p.Reset(DateTimeOffset.MaxValue);
        _peers.Clear();
        await snapshots.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Peer
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public Link? Link;
        public DateTimeOffset RetryAfter;

        public void Reset(DateTimeOffset retryAfter)
        {
            Link?.Dispose();
            Link = null;
            RetryAfter = retryAfter;
        }
    }

    /// <summary>One outbound connection. The peer never writes on it, so a read that ends means it is gone.</summary>
    private sealed class Link(Stream stream) : IDisposable
    {
        private volatile bool _closed;
        public Stream Stream { get; } = stream;
        public bool IsOpen => !_closed;

        /// <summary>Notices a peer that closed (e.g. restarted) before the next frame is written into a dead socket.</summary>
        public async Task WatchAsync()
        {
            try
            {
                await Stream.ReadAsync(new byte[1]).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException) { }
            Dispose();
        }

        public void Dispose()
        {
            _closed = true;
            Stream.Dispose();
        }
    }
}
