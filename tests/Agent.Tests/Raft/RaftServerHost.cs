using System.Net;
using Consul.Core.Raft;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Raft;

/// <summary>
/// One server's Raft endpoint on 127.0.0.1 (ephemeral port) as the agent hosts it on 8300: the
/// gRPC service and, in front of it, the TCP stream listener. Either transport sends to it.
/// </summary>
internal sealed class RaftServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RaftServerHost(WebApplication app, TcpRaftTransport tcp, string address)
    {
        _app = app;
        Tcp = tcp;
        Address = address;
    }

    public TcpRaftTransport Tcp { get; }
    public GrpcRaftTransport Grpc => Tcp.Snapshots;
    public string Address { get; }

    public static async Task<RaftServerHost> StartAsync(int port = 0)
    {
        var tcp = new TcpRaftTransport(new GrpcRaftTransport { SnapshotChunkBytes = 64 });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            o.Use(RaftStreamListener.Middleware(tcp));
        }));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(tcp.Snapshots);
        var app = builder.Build();
        app.MapGrpcService<RaftGrpcService>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RaftServerHost(app, tcp, new Uri(address).Authority);
    }

    public async ValueTask DisposeAsync()
    {
        await Tcp.DisposeAsync();
        await _app.DisposeAsync();
    }
}
