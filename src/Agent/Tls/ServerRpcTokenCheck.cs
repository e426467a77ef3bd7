using Consul.Agent.Acl;
using Consul.Agent.Http;
using Consul.Core.Acl;
using Consul.Core.Rpc;
using Consul.Core.State;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Consul.Agent.Tls;

/// <summary>
/// Who may use a server's RPC when ACLs are on with default_policy "deny": every agent sends
/// its agent token (acl.tokens.agent, else acl.tokens.default) as "x-consul-token"
/// (<see cref="ServerRpcClient.Token"/>); Apply, Subscribe and RenewSession are refused
/// (PermissionDenied, logged) unless that token resolves to a token other than anonymous.
/// What a write may do was already decided by the agent that took the HTTP request, with the
/// requester's own token; this gate only keeps agents without a valid token out of the
/// replicated state. A write forwarded for a request carries the requester's token
/// (<see cref="RpcCallerToken"/>), so servers forward users' writes without an agent token of
/// their own. Raft traffic is not covered here: mutual TLS guards it.
/// </summary>
public sealed class ServerRpcTokenCheck(AclGate acl, Config.AgentConfig config, ILoggerFactory logs) : Interceptor
{
    private static readonly HashSet<string> Guarded =
    [
        $"/{ServerRpcMethods.ServiceName}/{ServerRpcMethods.Apply.Name}",
        $"/{ServerRpcMethods.ServiceName}/{ServerRpcMethods.Subscribe.Name}",
        $"/{ServerRpcMethods.ServiceName}/{ServerRpcMethods.RenewSession.Name}",
    ];

    private readonly ILogger _log = logs.CreateLogger("agent.server.rpc");

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request as byte[]);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, null);
        return continuation(request, responseStream, context);
    }

    private void Check(ServerCallContext context, byte[]? request)
    {
        if (!acl.Enabled || config.Acl.DefaultPolicy != "deny" || !Guarded.Contains(context.Method)) return;
        var token = context.RequestHeaders.GetValue(ServerRpcClient.TokenHeader);
        var denial = Denial(token);
        // The one-time ACL bootstrap needs no token (Consul's ACL.Bootstrap), so a follower may forward it.
        if (denial is not null && IsBootstrap(context.Method, request)) return;
        if (denial is null)
        {
            // A follower forwarding this on to the leader passes the same caller's token along.
            RpcCallerToken.Current = token;
            return;
        }
        _log.LogError("refusing RPC {Method} from {Peer}: {Reason}", context.Method, context.Peer, denial);
        throw new RpcException(new Status(StatusCode.PermissionDenied, denial));
    }

    private static bool IsBootstrap(string method, byte[]? request)
    {
        if (request is null || method != $"/{ServerRpcMethods.ServiceName}/{ServerRpcMethods.Apply.Name}") return false;
        try
        {
            return CommandCodec.Decode(RpcFrames.DecodeApply(request).Command.Span) is AclCommand { Verb: AclCommand.Bootstrap };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Null when the caller's token is a real one; else Consul's error text.</summary>
    private string? Denial(string? token)
    {
        // The caller's empty token is anonymous, never this server's own default token.
        if (string.IsNullOrEmpty(token))
            return new PermissionDeniedException(AclBuiltins.AnonymousTokenId, "node", AccessLevel.Write, null).Message;
        try
        {
            var authz = acl.Resolve(token);
            return authz.AccessorID == AclBuiltins.AnonymousTokenId
                ? new PermissionDeniedException(AclBuiltins.AnonymousTokenId, "node", AccessLevel.Write, null).Message
                : null;
        }
        catch (ApiException e)
        {
            return e.Message;
        }
    }
}
