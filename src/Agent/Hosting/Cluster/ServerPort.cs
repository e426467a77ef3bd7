using System.Net;
using Consul.Agent.Config;
using Consul.Agent.Tls;
using Consul.Core.Raft;
using Consul.Core.Rpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>
/// The server RPC port (8300): HTTP/2 gRPC for the Raft transport and the server RPC, on the
/// bind address. Nothing else answers there. With tls.internal_rpc set up it is TLS-only,
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
            if (tls is not null)
                KestrelTls.UseTls(l, tls, config.Limits.RpcHandshakeTimeout, k.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.rpc"));
        }));
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
    /// Consul's AuthorizeServerConn: with verify_incoming and verify_server_hostname only a
    /// certificate for server.&lt;dc&gt;.&lt;domain&gt; may speak Raft, so a client agent's certificate
    /// (same CA) cannot make its holder a Raft peer. Other RPCs stay open to client agents.
    /// </summary>
    private static void RequireServerCertificateForRaft(WebApplication app, AgentConfig config)
    {
        var serverName = RpcTlsSetup.ServerName(config);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.rpc");
        var raftPrefix = "/" + RaftGrpcMethods.ServiceName + "/";
        app.Use((ctx, next) =>
        {
            if (ctx.Connection.LocalPort != config.Ports.Server || !ctx.Request.Path.StartsWithSegments(raftPrefix.TrimEnd('/'), StringComparison.Ordinal))
                return next(ctx);
            var cert = ctx.Connection.ClientCertificate;
            if (cert is not null && cert.MatchesHostname(serverName)) return next(ctx);
            log.LogError("refusing Raft connection from {Remote}: certificate \"{Subject}\" is not valid for {ServerName}",
                ctx.Connection.RemoteIpAddress, cert?.Subject ?? "(none)", serverName);
            // A trailers-only gRPC answer: PermissionDenied with the reason.
            ctx.Response.ContentType = "application/grpc";
            ctx.Response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.PermissionDenied).ToString(System.Globalization.CultureInfo.InvariantCulture);
            ctx.Response.Headers["grpc-message"] = Uri.EscapeDataString($"Raft is only for servers: certificate is not valid for {serverName}");
            return Task.CompletedTask;
        });
    }
}
