using System.Text;
using Consul.Core.State;
using Grpc.Core;

namespace Consul.Core.Rpc;

/// <summary>
/// Server side of <see cref="ServerRpcMethods"/>, hosted with Grpc.AspNetCore on the server
/// port. Handlers are virtual and named like the methods because Grpc.AspNetCore binds them so.
/// </summary>
[BindServiceMethod(typeof(ServerRpcService), nameof(BindService))]
public class ServerRpcService(IServerRpcHandler handler, IHttpForwardHandler? forwarder = null)
{
    /// <summary>How often an idle feed tells its replica who leads.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);

    public static void BindService(ServiceBinderBase binder, ServerRpcService? service)
    {
        binder.AddMethod(ServerRpcMethods.Apply, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.Apply));
        binder.AddMethod(ServerRpcMethods.ReadIndex, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.ReadIndex));
        binder.AddMethod(ServerRpcMethods.Subscribe, service is null ? null : new ServerStreamingServerMethod<byte[], byte[]>(service.Subscribe));
        binder.AddMethod(ServerRpcMethods.RaftLastIndex, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.RaftLastIndex));
        binder.AddMethod(ServerRpcMethods.RenewSession, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.RenewSession));
        binder.AddMethod(ServerRpcMethods.ForwardHttp, service is null ? null : new UnaryServerMethod<byte[], byte[]>(service.ForwardHttp));
    }

    public virtual async Task<byte[]> ForwardHttp(byte[] request, ServerCallContext context)
    {
        if (forwarder is null) throw new RpcException(new Status(StatusCode.Unimplemented, "this server does not forward HTTP requests"));
        var decoded = await Guard(() => Task.FromResult(ForwardedHttpCodec.DecodeRequest(request)));
        return ForwardedHttpCodec.Encode(await forwarder.HandleAsync(decoded, context.CancellationToken));
    }

    public virtual async Task<byte[]> Apply(byte[] request, ServerCallContext context)
    {
        var (forwarded, command) = RpcFrames.DecodeApply(request);
        return RpcFrames.Encode(await Guard(() => handler.ApplyEncodedAsync(command, forwarded, context.CancellationToken)));
    }

    public virtual async Task<byte[]> ReadIndex(byte[] request, ServerCallContext context) =>
        RpcFrames.EncodeIndex(await Guard(() => handler.ReadIndexAsync(request.Length > 0 && request[0] == 1, request.Length > 1 && request[1] == 1, context.CancellationToken)));

    public virtual Task<byte[]> RaftLastIndex(byte[] request, ServerCallContext context) =>
        Task.FromResult(RpcFrames.EncodeIndex(handler.RaftLastIndex));

    public virtual async Task<byte[]> RenewSession(byte[] request, ServerCallContext context)
    {
        var (forwarded, id) = RpcFrames.DecodeApply(request);
        var found = await Guard(() => handler.RenewSessionAsync(Encoding.UTF8.GetString(id.Span), forwarded, context.CancellationToken));
        return [found ? (byte)1 : (byte)0];
    }

    public virtual async Task Subscribe(byte[] request, IServerStreamWriter<byte[]> responses, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var feed = handler.Feed;
        var reader = feed.Subscribe(RpcFrames.DecodeIndex(request), out var fullState, out var fullStateIndex);
        try
        {
            if (fullState is not null)
            {
                using var buffer = new MemoryStream();
                StateSnapshotCodec.Write(fullState, buffer);
                await responses.WriteAsync(RpcFrames.Encode(new FeedFrame(FeedFrameKind.Snapshot, fullStateIndex, buffer.ToArray())), ct);
            }
            await responses.WriteAsync(Heartbeat(feed), ct);
            while (!ct.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(HeartbeatInterval);
                bool more;
                try { more = await reader.WaitToReadAsync(idle.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await responses.WriteAsync(Heartbeat(feed), ct);
                    continue;
                }
                if (!more) break;
                while (reader.TryRead(out var frame)) await responses.WriteAsync(RpcFrames.Encode(frame), ct);
            }
            await reader.Completion; // rethrows an overflow so the replica sees the stream fail
        }
        catch (FeedOverflowException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
        finally
        {
            feed.Unsubscribe(reader);
        }
    }

    private byte[] Heartbeat(StateFeed feed)
    {
        var (known, address) = handler.Leader;
        return RpcFrames.Encode(new FeedFrame(FeedFrameKind.Heartbeat, feed.LastIndex, ReadOnlyMemory<byte>.Empty, address, known));
    }

    /// <summary>Turns the handlers' refusals into gRPC statuses whose detail is the user-facing message.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try { return await call(); }
        // A distinct code for "refused, nothing applied": Unavailable also means a lost connection.
        catch (NoLeaderException e) { throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message)); }
        catch (Raft.NotLeaderException e) { throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message)); }
        catch (InvalidDataException e) { throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message)); }
    }
}
