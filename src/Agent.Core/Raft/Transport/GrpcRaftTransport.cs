using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft;

/// <summary>
/// <see cref="IRaftTransport"/> over gRPC (HTTP/2). Outbound: one long-lived client stream
/// per peer, re-opened after failures with a short back-off; snapshots go in chunks on a
/// call of their own. Inbound: <see cref="RaftGrpcService"/> hands frames to <see cref="Deliver"/>.
/// </summary>
public sealed class GrpcRaftTransport : IRaftTransport
{
    private readonly ConcurrentDictionary<string, Peer> _peers = new();
    private readonly ILogger _log;
    private RaftReceiver? _receiver;

    private readonly TimeProvider _time;

    public GrpcRaftTransport(ILogger? logger = null, TimeProvider? time = null)
    {
        _log = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public int SnapshotChunkBytes { get; init; } = 256 * 1024;
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ReconnectBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Builds the channel for a peer address; <see cref="Rpc.ServerRpcClient.Channels"/> makes one with TLS.</summary>
    public Func<string, GrpcChannel> ChannelFactory { get; init; } = Rpc.ServerRpcClient.Channels(null);

    public void Start(RaftReceiver receiver) => _receiver = receiver;

    /// <summary>
    /// Called by the gRPC service for every inbound message. Queued: the service reads one
    /// message at a time, so stepping each at once would give each its own disk sync.
    /// </summary>
    public void Deliver(RaftMessage m) => _receiver?.Queue(m);

    public async Task SendAsync(string address, RaftMessage message, CancellationToken cancellationToken)
    {
        var peer = _peers.GetOrAdd(address, a => new Peer(ChannelFactory(a)));
        if (_time.GetUtcNow() < peer.RetryAfter) throw new IOException($"raft: {address} unreachable (backing off)");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        try
        {
            if (message.Type == MessageType.InstallSnapshot) await SendSnapshotAsync(peer, message, timeout.Token).ConfigureAwait(false);
            else
            {
                // The server ends the call only when it goes away (e.g. it restarted): open a new one
                // at once rather than writing into a dead stream until the send timeout.
                if (peer.Stream?.ResponseAsync.IsCompleted == true) peer.Reset(DateTimeOffset.MinValue);
                peer.Stream ??= peer.Invoker.AsyncClientStreamingCall(RaftGrpcMethods.Stream, null, new CallOptions());
                await peer.Stream.RequestStream.WriteAsync(RaftMessageCodec.Encode(message), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RpcException or IOException or OperationCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            _log.LogDebug(e, "raft: stream to {Address} failed; reconnecting after back-off", address);
            peer.Reset(_time.GetUtcNow() + ReconnectBackoff);
            throw new IOException($"raft: sending to {address} failed: {e.Message}", e);
        }
    }

    private async Task SendSnapshotAsync(Peer peer, RaftMessage message, CancellationToken ct)
    {
        var data = message.SnapshotData ?? [];
        using var call = peer.Invoker.AsyncClientStreamingCall(RaftGrpcMethods.InstallSnapshot, null, new CallOptions(cancellationToken: ct));
        await call.RequestStream.WriteAsync(RaftMessageCodec.Encode(message), ct).ConfigureAwait(false);
        for (var o = 0; o < data.Length; o += SnapshotChunkBytes)
            await call.RequestStream.WriteAsync(data.AsSpan(o, Math.Min(SnapshotChunkBytes, data.Length - o)).ToArray(), ct).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        await call.ResponseAsync.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _receiver = null;
        foreach (var p in _peers.Values) p.Dispose();
        _peers.Clear();
        return ValueTask.CompletedTask;
    }

    private sealed class Peer(GrpcChannel channel) : IDisposable
    {
        public CallInvoker Invoker { get; } = channel.CreateCallInvoker();
        public AsyncClientStreamingCall<byte[], byte[]>? Stream;
        public DateTimeOffset RetryAfter;

        public void Reset(DateTimeOffset retryAfter)
        {
            Stream?.Dispose();
            Stream = null;
            RetryAfter = retryAfter;
        }

        public void Dispose()
        {
            Stream?.Dispose();
            channel.Dispose();
        }
    }
}
