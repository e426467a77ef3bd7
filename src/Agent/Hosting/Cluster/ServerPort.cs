using System.Net;
using System.Security.Cryptography.X509Certificates;
using Consul.Agent.Config;
using Consul.Agent.Tls;
using Consul.Core.Raft;
using Consul.Core.Rpc;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>
/// The server RPC port (8300), on the bind address: Raft's stream connections
/// (<see cref="RaftStreamListener"/>) and HTTP/2 gRPC for Raft snapshots and the server RPC.
/// Nothing else answers there. With tls.internal_rpc set up it is TLS-only,
/// mutual with verify_incoming (<see cref="RpcTlsSetup"/>); with ACLs on, callers show their
/// agent token (<see cref="ServerRpcTokenCheck"/>).
/// </summary>
public static class ServerPort
{
    public static void Configure(WebApplicationBuilder builder, AgentConfig config)
    {
        builder.Services.AddGrpc(o =>
        {
            // Snapshots travel in chunks, but a large transaction or catalog write is one message.
            o.MaxReceiveMessageSize = 64 * 1024 * 1024;
            o.MaxSendMessageSize = null;
            o.Interceptors.Add<ServerRpcTokenCheck>();
        });
        var bind = string.IsNullOrEmpty(config.BindAddr) ? IPAddress.Any : IPAddress.Parse(config.BindAddr);
        // Loaded now so a missing or bad file stops the agent at start with Consul's message.
        var tls = RpcTlsSetup.ForServerPort(config);
        builder.WebHost.ConfigureKestrel(k => k.Listen(bind, config.Ports.Server, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            var log = k.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.rpc");
            l.Use(new ClientConnectionLimit(config.Limits.RpcMaxConnsPerClient, "limits.rpc_max_conns_per_client", log).Middleware());
            if (tls is not null) KestrelTls.UseTls(l, tls, config.Limits.RpcHandshakeTimeout, log);
            // After TLS: Raft's own stream connections are told from HTTP/2 by their first decrypted byte.
            l.Use(RaftStreamListener.Middleware(k.ApplicationServices.GetRequiredService<TcpRaftTransport>(),
                connection => RaftRefusal(config, connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate), log));
        }));
    }

    /// <summary>
    /// Consul's AuthorizeServerConn: with verify_incoming and verify_server_hostname only a
    /// certificate for server.&lt;dc&gt;.&lt;domain&gt; may speak Raft, so a client agent's certificate
    /// (same CA) cannot make its holder a Raft peer. Null when the connection may.
    /// </summary>
    private static string? RaftRefusal(AgentConfig config, X509Certificate2? cert)
    {
        if (!config.Tls.InternalRpc.VerifyIncoming || !config.Tls.VerifyServerHostname) return null;
        var serverName = RpcTlsSetup.ServerName(config);
        return cert is not null && cert.MatchesHostname(serverName) ? null
            : $"certificate \"{cert?.Subject ?? "(none)"}\" is not valid for {serverName}";
    }

    public static void Map(WebApplication app, AgentConfig config)
    {
        app.Use((ctx, next) =>
        {
            var onServerPort = ctx.Connection.LocalPort == config.Ports.Server;
            var isGrpc = ctx.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true;
            if (onServerPort == isGrpc) return next(ctx);
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        if (config.Tls.InternalRpc.VerifyIncoming && config.Tls.VerifyServerHostname) RequireServerCertificateForRaft(app, config);
        app.MapGrpcService<RaftGrpcService>();
        app.MapGrpcService<ServerRpcService>();
    }

    /// <summary>
    /// The gRPC side of <see cref="RaftRefusal"/> (snapshots, and any Raft message sent over gRPC);
    /// other RPCs stay open to client agents.
    /// </summary>
    private static void RequireServerCertificateForRaft(WebApplication app, AgentConfig config)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.rpc");
        var raftPrefix = "/" + RaftGrpcMethods.ServiceName;
        app.Use((ctx, next) =>
        {
            if (ctx.Connection.LocalPort != config.Ports.Server || !ctx.Request.Path.StartsWithSegments(raftPrefix, StringComparison.Ordinal))
                return next(ctx);
            if (RaftRefusal(config, ctx.Connection.ClientCertificate) is not { } refusal) return next(ctx);
            log.LogError("refusing Raft connection from {Remote}: {Reason}", ctx.Connection.RemoteIpAddress, refusal);
            // A trailers-only gRPC answer: PermissionDenied with the reason.
            ctx.Response.ContentType = "application/grpc";
            ctx.Response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.PermissionDenied).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.Headers["grpc-message"] = Uri.EscapeDataString($"Raft is only for servers: {refusal}");
            return Task.CompletedTask;
        });
    }
}
