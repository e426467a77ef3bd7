using System.Diagnostics;
using Consul.Core.Raft;
using Consul.Core.Raft.Storage;
using HdrHistogram;

// Raft throughput and commit latency: 3 in-process servers, each with its own on-disk
// WAL (real fsync), in-memory transport. Usage: dotnet run -c Release [seconds-per-run]
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
        Console.WriteLine($"| {proposers} | {rate:F0} | {h.GetValueAtPercentile(50) / 1000.0:F2} | {h.GetValueAtPercentile(99) / 1000.0:F2} |");
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

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

    var histogram = new LongHistogram(1, 60_000_000, 3);
    var gate = new object();
    long count = 0;
    var stop = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, proposers).Select(_ => Task.Run(async () =>
    {
        var payload = new byte[128];
        var local = new LongHistogram(1, 60_000_000, 3);
        long n = 0;
        while (stop.Elapsed < duration)
        {
            var sw = Stopwatch.StartNew();
            await leader.ProposeAsync(payload);
            local.RecordValue(Math.Max(1, (long)sw.Elapsed.TotalMicroseconds));
            n++;
        }
        lock (gate) { histogram.Add(local); count += n; }
    })).ToArray();
    await Task.WhenAll(workers);
    var rate = count / stop.Elapsed.TotalSeconds;
    foreach (var n in nodes) await n.DisposeAsync();
    return (rate, histogram);
}

sealed class NullStateMachine : IRaftStateMachine
{
    public object? Apply(ulong index, ReadOnlyMemory<byte> command) => null;
    public void WriteSnapshot(Stream destination) { }
    public void Restore(Stream source) { }
}
