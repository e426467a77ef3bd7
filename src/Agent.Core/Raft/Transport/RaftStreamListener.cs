using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft;

/// <summary>
/// Kestrel connection middleware for the server RPC port: a connection whose first byte is
/// <see cref="Preamble"/>[0] is a <see cref="TcpRaftTransport"/> link and its frames go to
/// <see cref="TcpRaftTransport.Deliver"/>; any other connection (HTTP/2 starts with "PRI") is
/// passed on untouched to gRPC. Placed after TLS, so it reads decrypted bytes.
/// </summary>
public static class RaftStreamListener
{
    /// <summary>0x01 is Consul's RPC type byte for Raft on port 8300; then this wire format's version.</summary>
    public static readonly byte[] Preamble = [0x01, 0x01];

    /// <summary>Largest frame accepted, as the gRPC services' receive limit.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <param name="refusal">Why a connection may not speak Raft (e.g. its certificate is not a server's), or null if it may.</param>
    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TcpRaftTransport transport,
        Func<ConnectionContext, string?>? refusal = null, ILogger? logger = null) =>
        next => connection => HandleAsync(connection, next, transport, refusal, logger ?? NullLogger.Instance);

    private static async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next, TcpRaftTransport transport,
        Func<ConnectionContext, string?>? refusal, ILogger log)
    {
        var input = connection.Transport.Input;
        ReadResult first;
        try
        {
            first = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
            return;
        }
        if (first.Buffer.IsEmpty || first.Buffer.FirstSpan[0] != Preamble[0])
        {
            // Nothing consumed or examined: the next reader sees the same bytes.
            input.AdvanceTo(first.Buffer.Start);
            await next(connection).ConfigureAwait(false);
            return;
        }
        input.AdvanceTo(first.Buffer.Start);
        if (refusal?.Invoke(connection) is { } reason)
        {
            log.LogError("refusing Raft connection from {Remote}: {Reason}", connection.RemoteEndPoint, reason);
            connection.Abort(new ConnectionAbortedException(reason));
            return;
        }
        try
        {
            await ReadFramesAsync(input, transport, connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            log.LogError("closing Raft connection from {Remote}: {Reason}", connection.RemoteEndPoint, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException) { }
    }

    /// <summary>
    /// Copies each frame out of the pipe as its bytes arrive rather than waiting for all of it to
    /// be buffered: Kestrel pauses a connection's socket reads once 1 MB (MaxRequestBufferSize)
    /// sits unconsumed, and a large append would then wait for itself.
    /// </summary>
    private static async Task ReadFramesAsync(PipeReader input, TcpRaftTransport transport, CancellationToken ct)
    {
        var preambleSeen = false;
        byte[]? frame = null;
        var filled = 0;
        var arrived = new List<RaftMessage>();
        while (true)
        {
            var result = await input.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            arrived.Clear();
            try
            {
                if (!preambleSeen && buffer.Length >= Preamble.Length)
                {
                    var version = buffer.Slice(1, 1).FirstSpan[0];
                    if (version != Preamble[1]) throw new InvalidDataException($"unknown Raft stream version {version}");
                    buffer = buffer.Slice(Preamble.Length);
                    preambleSeen = true;
                }
                while (preambleSeen)
                {
                    if (frame is null)
                    {
                        if (buffer.Length < 4) break;
                        var length = ReadLength(buffer);
                        if (length is < 0 or > MaxFrameBytes) throw new InvalidDataException($"Raft frame of {length} bytes");
                        buffer = buffer.Slice(4);
                        frame = new byte[length];
                        filled = 0;
                    }
                    var take = (int)Math.Min(buffer.Length, frame.Length - filled);
                    buffer.Slice(0, take).CopyTo(frame.AsSpan(filled));
                    buffer = buffer.Slice(take);
                    filled += take;
                    if (filled < frame.Length) break;
                    arrived.Add(Decode(frame));
                    frame = null;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
            // All frames of one read together: a follower that was busy syncing gets the appends
            // that queued meanwhile as one batch, and syncs once for them.
            if (arrived.Count > 0) transport.Deliver(arrived.ToArray());
            if (result.IsCompleted || result.IsCanceled) return;
        }
    }

    private static int ReadLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return BinaryPrimitives.ReadInt32LittleEndian(prefix);
    }

    private static RaftMessage Decode(byte[] frame)
    {
        try
        {
            return RaftMessageCodec.Decode(frame);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"malformed Raft frame: {e.Message}", e);
        }
    }
}
