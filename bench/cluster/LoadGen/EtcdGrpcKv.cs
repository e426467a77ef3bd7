using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace Consul.Bench.Cluster;

/// <summary>
/// etcd's native gRPC API (etcdserverpb.KV Put and Range), for reference rows next to the JSON
/// gateway: the gateway re-sends every request to etcd's own gRPC server over loopback.
/// Requests are encoded by hand (PutRequest: key=1, value=2; RangeRequest: key=1, serializable=7);
/// answers are not decoded, a call that completes with status OK counts.
/// </summary>
public sealed class EtcdGrpcKv : IKvLoad, IDisposable
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private static readonly Method<byte[], byte[]> Put = new(MethodType.Unary, "etcdserverpb.KV", "Put", Raw, Raw);
    private static readonly Method<byte[], byte[]> Range = new(MethodType.Unary, "etcdserverpb.KV", "Range", Raw, Raw);
    private readonly Dictionary<string, (GrpcChannel Channel, CallInvoker Invoker)> _channels = new();
    private readonly Lock _lock = new();

    public string Name => "etcd gRPC";

    public async Task<bool> PutAsync(HttpClient http, string node, string key, byte[] value, CancellationToken ct)
    {
        var request = Encode(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(key));
            o.WriteTag(2, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFrom(value));
        });
        await Invoker(node).AsyncUnaryCall(Put, null, new CallOptions(cancellationToken: ct), request);
        return true;
    }

    public async Task<bool> GetAsync(HttpClient http, string node, string key, string? mode, CancellationToken ct)
    {
        var request = Encode(o =>
        {
            o.WriteTag(1, WireFormat.WireType.LengthDelimited); o.WriteBytes(ByteString.CopyFromUtf8(key));
            if (mode == "serializable") { o.WriteTag(7, WireFormat.WireType.Varint); o.WriteBool(true); }
        });
        await Invoker(node).AsyncUnaryCall(Range, null, new CallOptions(cancellationToken: ct), request);
        return true;
    }

    private static byte[] Encode(Action<CodedOutputStream> write)
    {
        using var ms = new MemoryStream();
        var o = new CodedOutputStream(ms);
        write(o);
        o.Flush();
        return ms.ToArray();
    }

    private CallInvoker Invoker(string node)
    {
        lock (_lock)
        {
            if (!_channels.TryGetValue(node, out var c))
            {
                var channel = GrpcChannel.ForAddress(node, new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, UseProxy = false },
                });
                _channels[node] = c = (channel, channel.CreateCallInvoker());
            }
            return c.Invoker;
        }
    }

    public void Dispose()
    {
        foreach (var c in _channels.Values) c.Channel.Dispose();
    }
}
