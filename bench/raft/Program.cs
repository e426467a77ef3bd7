using System.Diagnostics;
using Consul.Core.Raft;
using Consul.Core.Raft.Storage;
using Consul.Bench.Raft;
using HdrHistogram;

// Raft throughput and commit latency. Two modes:
//   [seconds-per-run]   3 in-process servers, each with its own on-disk WAL (real fsync), in-memory transport
//   node <id> <ip> <data-dir> <id=ip,id=ip,id=ip> <seconds-per-run> <result-file>
//                       one server of a 3-process cluster over gRPC (bench/cluster/run.sh starts three)
//   disk <dir>          the WAL's append+sync latency, alone and with three WALs syncing at once
//   trace <leader trace.tsv> <follower trace.tsv>...   per-stage breakdown of a RAFT_TRACE=1 run (bench/raft/run3.sh)
if (args.Length > 0 && args[0] == "node")
    return await Consul.Bench.Raft.ProcessNode.RunAsync(args[1], args[2], args[3], args[4],
        double.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture), args[6]);
if (args.Length > 0 && args[0] == "disk")
{
    Console.WriteLine(Consul.Bench.Raft.DiskProbe.Measure(args[1]));
    return 0;
}
if (args.Length > 0 && args[0] == "trace")
{
    Consul.Bench.Raft.Trace.Report(args[1], args[2..]);
    return 0;
}
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
var root = Path.Combine(Path.GetTempPath(), "raft-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(root);
try
{
    var fsync = MeasureFsync(root);
    Console.WriteLine($"disk fsync (4 KiB append + fsync): p50 {fsync.GetValueAtPercentile(50) / 1000.0:F2} ms, p99 {fsync.GetValueAtPercentile(99) / 1000.0:F2} ms");
    Console.WriteLine("| proposers | proposals/s | p50 commit ms | p99 commit ms |");
    Console.WriteLine("| ---: | ---: | ---: | ---: |");
    foreach (var proposers in new[] { 1, 16, 64 })
    {
        var (rate, h) = await RunAsync(Path.Combine(root, "p" + proposers), proposers, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(Consul.Bench.Raft.Load.Row(proposers, rate, h));
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}
return 0;

static LongHistogram MeasureFsync(string dir)
{
    var h = new LongHistogram(1, 10_000_000, 3);
    var block = new byte[4096];
    using var fs = new FileStream(Path.Combine(dir, "fsync.bin"), FileMode.Create, FileAccess.Write);
    for (var i = 0; i < 200; i++)
    {
        var sw = Stopwatch.StartNew();
        fs.Write(block);
        fs.Flush(flushToDisk: true);
        h.RecordValue(Math.Max(1, (long)sw.Elapsed.TotalMicroseconds));
    }
    return h;
}

static async Task<(double Rate, LongHistogram Latency)> RunAsync(string dir, int proposers, TimeSpan duration)
{
    var net = new InMemoryRaftNetwork();
    var ids = new[] { "a", "b", "c" };
    var config = new RaftConfiguration(ids.Select(i => new ServerInfo(i, i, true)));
    var nodes = new List<RaftNode>();
    foreach (var id in ids)
    {
        var node = new RaftNode(new RaftNodeOptions { Id = id, Address = id },
            new RaftStorage(Path.Combine(dir, id)), new InMemoryRaftTransport(net, id), new NullStateMachine());
        node.Bootstrap(config);
        await node.StartAsync();
        nodes.Add(node);
    }
    RaftNode? leader;
    while ((leader = nodes.FirstOrDefault(n => n.IsLeader)) is null) await Task.Delay(10);
    await leader.ProposeAsync(new byte[64]);
    var result = await Load.RunAsync(leader, proposers, duration);
    foreach (var n in nodes) await n.DisposeAsync();
    return result;
}
