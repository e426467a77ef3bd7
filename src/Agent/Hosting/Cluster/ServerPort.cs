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
        app.MapGrpcService<RaftGrpcService>();
        app.MapGrpcService<ServerRpcService>();
    }
}
