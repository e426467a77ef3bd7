using System.Net;
using Consul.Core.Raft;
using Consul.Core.Raft.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consul.Bench.Raft;

/// <summary>
/// One Raft server in its own process, as the agent hosts it: the TCP stream transport and the
/// gRPC service (snapshots) on ip:7300, WAL on disk. The server that wins the election runs the load and writes the table
/// to <c>resultFile</c>; the others serve until the script kills them.
/// </summary>
public static class ProcessNode
{
    private const double WarmupSeconds = 2;

    public static async Task<int> RunAsync(string id, string ip, string dir, string peers, double seconds, string resultFile)
    {
        Directory.CreateDirectory(dir);
        if (Trace.Enabled) Trace.Start(dir);
        // Content root = the binary's folder: the default (the working directory, i.e. the repository)
        // gets a recursive file watcher for appsettings reloads, and on Linux that watcher then woke
        // up in every process for every WAL write under bench/out.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // RAFT_TRANSPORT=grpc sends everything over gRPC, as the agent did before the TCP stream transport.
        var grpc = new GrpcRaftTransport();
        var tcp = new TcpRaftTransport(grpc);
        IRaftTransport transport = Environment.GetEnvironmentVariable("RAFT_TRANSPORT") == "grpc" ? grpc : tcp;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(ip), 7300, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            l.Use(RaftStreamListener.Middleware(tcp));
        }));
        if (Environment.GetEnvironmentVariable("RAFT_INLINE") == "1") builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(grpc);
        builder.Services.AddSingleton<RaftGrpcService>();
        await using var app = builder.Build();
        app.MapGrpcService<RaftGrpcService>();
        await app.StartAsync();

        var servers = peers.Split(',').Select(p => p.Split('=')).Select(p => new ServerInfo(p[0], p[1] + ":7300", true));
        await using var node = new RaftNode(new RaftNodeOptions { Id = id, Address = $"{ip}:7300" }, new RaftStorage(dir), transport, new NullStateMachine());
        node.Bootstrap(new RaftConfiguration(servers));
        await node.StartAsync();
        while (node.LeaderId is null) await Task.Delay(10);
        if (!node.IsLeader)
        {
            await Task.Delay(Timeout.Infinite);
            return 0;
        }
        // Warm-up: connections, and the JIT's tiering (a method is recompiled optimised after it has run
        // a while). With only a few hundred proposals the background compiler was still busy on all
        // three processes through the 1-proposer row, taking CPU from the commit path on a 2-core machine.
        for (var i = 0; i < 200; i++) await node.ProposeAsync(new byte[128]);
        foreach (var proposers in new[] { 64, 16, 1 }) await Load.RunAsync(node, proposers, TimeSpan.FromSeconds(WarmupSeconds));
        var rows = new List<string> { "| proposers | proposals/s | p50 commit ms | p99 commit ms | leader CPU µs per commit |", "| ---: | ---: | ---: | ---: | ---: |" };
        // RAFT_ROWS=1 (say) measures only that row, for quicker iterations.
        var only = Environment.GetEnvironmentVariable("RAFT_ROWS");
        foreach (var proposers in only is null ? [1, 16, 64] : only.Split(',').Select(int.Parse).ToArray())
        {
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            var (rate, h) = await Load.RunAsync(node, proposers, TimeSpan.FromSeconds(seconds), trace: proposers == 1 && Trace.Enabled);
            cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
            rows.Add(Load.Row(proposers, rate, h) + FormattableString.Invariant($" {cpu.TotalMicroseconds / (rate * seconds):F0} |"));
        }
        if (Trace.Enabled) Trace.Flush(Path.Combine(dir, "trace.tsv"));
        File.WriteAllLines(resultFile + ".tmp", rows);
        File.Move(resultFile + ".tmp", resultFile);
        return 0;
    }
}
