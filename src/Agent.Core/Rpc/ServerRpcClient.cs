using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Consul.Core.State;
using Grpc.Core;
using Grpc.Net.Client;

namespace Consul.Core.Rpc;

/// <summary>
/// Calls <see cref="ServerRpcMethods"/> on a server by its RPC address ("ip:port"), one
/// HTTP/2 channel per server. Failures surface as <see cref="ServerRpcException"/> carrying
/// the server's message (e.g. "No cluster leader").
/// </summary>
public sealed class ServerRpcClient : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();

    /// <summary>
    /// limits.rpc_client_timeout: how long a call may take before it fails (a server that does not
    /// answer is treated as gone, and the caller retries elsewhere). A vanished server is found
    /// sooner by the channel's HTTP/2 pings (<see cref="FastReconnect"/>).
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>Consul's default rpc_client_timeout.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Builds the channel for a server address; <see cref="Channels"/> makes one with TLS.</summary>
    public Func<string, GrpcChannel> ChannelFactory { get; init; } = Channels(null);

    /// <summary>default_query_time and max_query_time: a forwarded blocking read's deadline (<see cref="ForwardTimeout"/>).</summary>
    public TimeSpan DefaultQueryTime { get; init; }
    public TimeSpan MaxQueryTime { get; init; }

    /// <summary>
    /// This agent's ACL token (acl.tokens.agent, else default), sent as "x-consul-token" with every
    /// call so a server with ACLs on can tell agents from strangers. Read per call: tokens can change at runtime.
    /// </summary>
    public Func<string>? Token { get; init; }

    /// <summary>gRPC metadata key of the caller's token on server RPC.</summary>
    public const string TokenHeader = "x-consul-token";

    /// <summary>Channels to servers: plain HTTP/2, or https with <paramref name="tls"/> (verify_outgoing).</summary>
    public static Func<string, GrpcChannel> Channels(RpcClientTls? tls) =>
        address => GrpcChannel.ForAddress((tls is null ? "http://" : "https://") + address, FastReconnect(tls, address));

    /// <summary>
    /// Channel options for server-to-server links: gRPC's default reconnect back-off (1 s growing
    /// to 2 min) would leave a restarted server unheard for seconds; servers come back quickly.
    /// </summary>
    public static GrpcChannelOptions FastReconnect(RpcClientTls? tls = null, string address = "")
    {
        // HTTP/2 pings find a peer that vanished without closing its connection within ~2 s.
        var handler = new SocketsHttpHandler
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(1),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            EnableMultipleHttp2Connections = true,
        };
        tls?.Apply(handler, address);
        return new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(100),
            MaxReconnectBackoff = TimeSpan.FromSeconds(1),
        };
    }

    /// <summary>The requester's token when serving a request (<see cref="RpcCallerToken"/>), else the agent's.</summary>
    private Metadata? Headers() =>
        (RpcCallerToken.Current is { Length: > 0 } caller ? caller : Token?.Invoke()) is { Length: > 0 } token
            ? new Metadata { { TokenHeader, token } }
            : null;

    public async Task<ApplyResult> ApplyAsync(string server, ReadOnlyMemory<byte> command, bool forwarded, CancellationToken ct)
    {
        var reply = await Unary(server, ServerRpcMethods.Apply, RpcFrames.EncodeApply(command.Span, forwarded), ct);
        return RpcFrames.DecodeApplyResult(reply);
    }

    public async Task<ulong> ReadIndexAsync(string server, bool forwarded, bool lease, CancellationToken ct) =>
        RpcFrames.DecodeIndex(await Unary(server, ServerRpcMethods.ReadIndex, [forwarded ? (byte)1 : (byte)0, lease ? (byte)1 : (byte)0], ct));

    public async Task<ulong> RaftLastIndexAsync(string server, CancellationToken ct) =>
        RpcFrames.DecodeIndex(await Unary(server, ServerRpcMethods.RaftLastIndex, [], ct));

    public async Task<bool> RenewSessionAsync(string server, string sessionId, bool forwarded, CancellationToken ct)
    {
        var reply = await Unary(server, ServerRpcMethods.RenewSession, RpcFrames.EncodeApply(Encoding.UTF8.GetBytes(sessionId), forwarded), ct);
        return reply is [1];
    }

    /// <summary>
    /// An HTTP request for another datacenter, with its own deadline (<see cref="ForwardTimeout"/>):
    /// a blocking query may legitimately take minutes.
    /// </summary>
    public async Task<ForwardedHttpResponse> ForwardHttpAsync(string server, ForwardedHttpRequest request, CancellationToken ct)
    {
        var reply = await Unary(server, ServerRpcMethods.ForwardHttp, ForwardedHttpCodec.Encode(request), ct, ForwardTimeout.Of(request.PathAndQuery, DefaultQueryTime, MaxQueryTime));
        return ForwardedHttpCodec.DecodeResponse(reply);
    }

    /// <summary>The replica feed from <paramref name="fromIndex"/>; ends with an exception when the stream breaks.</summary>
    public async IAsyncEnumerable<FeedFrame> SubscribeAsync(string server, ulong fromIndex, [EnumeratorCancellation] CancellationToken ct)
    {
        using var call = Invoker(server).AsyncServerStreamingCall(ServerRpcMethods.Subscribe, null, new CallOptions(Headers(), cancellationToken: ct),
            RpcFrames.EncodeIndex(fromIndex));
        while (true)
        {
            bool more;
            try { more = await call.ResponseStream.MoveNext(ct); }
            catch (RpcException e) when (!ct.IsCancellationRequested) { throw new ServerRpcException(server, e); }
            if (!more) yield break;
            yield return RpcFrames.DecodeFeedFrame(call.ResponseStream.Current);
        }
    }

    private async Task<byte[]> Unary(string server, Method<byte[], byte[]> method, byte[] request, CancellationToken ct, TimeSpan? timeout = null)
    {
        try
        {
            return await Invoker(server).AsyncUnaryCall(method, null, new CallOptions(Headers(), DateTime.UtcNow + (timeout ?? CallTimeout), ct), request);
        }
        catch (RpcException e) when (!ct.IsCancellationRequested)
        {
            throw new ServerRpcException(server, e);
        }
    }

    private CallInvoker Invoker(string server) => _channels.GetOrAdd(server, ChannelFactory).CreateCallInvoker();

    public void Dispose()
    {
        foreach (var c in _channels.Values) c.Dispose();
        _channels.Clear();
    }
}

/// <summary>An RPC to a server failed; Message is the server's own text when it gave one.</summary>
public sealed class ServerRpcException(string server, RpcException inner)
    : Exception(inner.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.InvalidArgument or StatusCode.ResourceExhausted && inner.Status.Detail.Length > 0
        && !inner.Status.Detail.StartsWith("Error starting gRPC call", StringComparison.Ordinal)
        ? inner.Status.Detail
        : $"rpc error making call to {server}: {inner.Status.Detail}", inner)
{
    public string Server { get; } = server;
    public StatusCode StatusCode { get; } = inner.StatusCode;
    /// <summary>The server answered but had no leader (as opposed to being unreachable): nothing was applied.</summary>
    public bool NoLeader => inner.StatusCode == StatusCode.FailedPrecondition;

    /// <summary>The connection was refused, so the request never reached the server: safe to send again.</summary>
    public bool NeverSent => inner.StatusCode == StatusCode.Unavailable && Refused(inner.Status.DebugException);

    private static bool Refused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused }) return true;
        return false;
    }
}
