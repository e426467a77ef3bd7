using Grpc.Core;

namespace Consul.Core.Rpc;

/// <summary>
/// The server RPC (port 8300) next to the Raft transport: what client agents and follower
/// servers ask of a server. Hand-written gRPC methods over opaque byte frames, like the
/// Raft transport; each frame's layout is in <see cref="RpcFrames"/>.
/// </summary>
public static class ServerRpcMethods
{
    public const string ServiceName = "consul.rpc.Server";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    /// <summary>Command bytes in, encoded <see cref="State.ApplyResult"/> out; followers forward to the leader.</summary>
    public static readonly Method<byte[], byte[]> Apply = new(MethodType.Unary, ServiceName, "Apply", Bytes, Bytes);

    /// <summary>Linearizable read point: the leader confirms its leadership and answers an index to wait for.</summary>
    public static readonly Method<byte[], byte[]> ReadIndex = new(MethodType.Unary, ServiceName, "ReadIndex", Bytes, Bytes);

    /// <summary>Client agents' replica feed: a snapshot or the commands after a given index, then every applied command and heartbeats.</summary>
    public static readonly Method<byte[], byte[]> Subscribe = new(MethodType.ServerStreaming, ServiceName, "Subscribe", Bytes, Bytes);

    /// <summary>The server's last Raft log index: bootstrap_expect asks every peer before bootstrapping a new cluster.</summary>
    public static readonly Method<byte[], byte[]> RaftLastIndex = new(MethodType.Unary, ServiceName, "RaftLastIndex", Bytes, Bytes);

    /// <summary>Session TTL renewal, served by the leader, where session timers run.</summary>
    public static readonly Method<byte[], byte[]> RenewSession = new(MethodType.Unary, ServiceName, "RenewSession", Bytes, Bytes);

    /// <summary>An HTTP API request for another datacenter (<see cref="ForwardedHttpCodec"/> frames both ways).</summary>
    public static readonly Method<byte[], byte[]> ForwardHttp = new(MethodType.Unary, ServiceName, "ForwardHttp", Bytes, Bytes);
}
