using Grpc.Core;

namespace Consul.Core.Raft;

/// <summary>
/// Hand-written gRPC definition of the Raft transport (no protobuf codegen): messages are
/// opaque <see cref="RaftMessageCodec"/> frames. Two client-streaming methods: a long-lived
/// stream per peer for ordinary messages (pipelined appends), and one call per snapshot
/// whose first frame is the InstallSnapshot header and the rest are data chunks.
/// Grpc.AspNetCore binds handlers by name and only to virtual methods of the attributed type,
/// hence the unsealed class and virtual handlers named exactly like the gRPC methods.
/// </summary>
public static class RaftGrpcMethods
{
    public const string ServiceName = "consul.raft.RaftTransport";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static readonly Method<byte[], byte[]> Stream =
        new(MethodType.ClientStreaming, ServiceName, "Stream", Bytes, Bytes);

    public static readonly Method<byte[], byte[]> InstallSnapshot =
        new(MethodType.ClientStreaming, ServiceName, "InstallSnapshot", Bytes, Bytes);
}

/// <summary>
/// Server side of the Raft transport; hosted by the agent with Grpc.AspNetCore
/// (<c>MapGrpcService&lt;RaftGrpcService&gt;()</c>) next to the other RPC services on port 8300.
/// </summary>
[BindServiceMethod(typeof(RaftGrpcService), nameof(BindService))]
public class RaftGrpcService(GrpcRaftTransport transport)
{
    public static void BindService(ServiceBinderBase binder, RaftGrpcService? service)
    {
        binder.AddMethod(RaftGrpcMethods.Stream, service is null ? null : new ClientStreamingServerMethod<byte[], byte[]>(service.Stream));
        binder.AddMethod(RaftGrpcMethods.InstallSnapshot, service is null ? null : new ClientStreamingServerMethod<byte[], byte[]>(service.InstallSnapshot));
    }

    public static ServerServiceDefinition Definition(RaftGrpcService service) =>
        ServerServiceDefinition.CreateBuilder()
            .AddMethod(RaftGrpcMethods.Stream, service.Stream)
            .AddMethod(RaftGrpcMethods.InstallSnapshot, service.InstallSnapshot)
            .Build();

    public virtual async Task<byte[]> Stream(IAsyncStreamReader<byte[]> requests, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
            transport.Deliver(RaftMessageCodec.Decode(requests.Current));
        return [];
    }

    public virtual async Task<byte[]> InstallSnapshot(IAsyncStreamReader<byte[]> requests, ServerCallContext context)
    {
        if (!await requests.MoveNext(context.CancellationToken).ConfigureAwait(false)) return [];
        var header = RaftMessageCodec.Decode(requests.Current);
        using var data = new MemoryStream();
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false)) data.Write(requests.Current);
        header.SnapshotData = data.ToArray();
        transport.Deliver(header);
        return [];
    }
}
