using System.Text;

namespace Consul.Bench.Cluster;

/// <summary>
/// The throughput/latency table: writes at 1, 16 and 64 clients and reads at 64 clients, each row
/// run against Consul.Web and then etcd straight after, so both see the same machine load.
/// A few reference rows use etcd's native gRPC API instead of its JSON gateway.
/// </summary>
public sealed class LoadMatrix(HttpClient http, TimeSpan warmup, TimeSpan window)
{
    public sealed record Side(IKvLoad System, string Leader, CpuSample Cpu);

    private sealed record Row(string Load, ClosedLoop.Result Consul, ClosedLoop.Result Etcd);

    public async Task<string> RunAsync(Side consul, Side etcd, Side etcdGrpc)
    {
        var value = Encoding.ASCII.GetBytes(new string('v', 128));
        // Discarded pass so both start the table JIT-compiled, connected and with their keys written.
        Console.Error.WriteLine("[loadgen] warm-up pass");
        foreach (var side in new[] { consul, etcd, etcdGrpc })
        {
            await Write(side, 64, value, TimeSpan.FromSeconds(4));
            await Read(side, 64, null, TimeSpan.FromSeconds(2));
        }
        var idle = await IdleAsync(consul, etcd);
        var rows = new List<Row>();
        var reference = new List<Row>();
        foreach (var clients in new[] { 1, 16, 64 })
        {
            var label = $"write 128 B, {clients} client{(clients == 1 ? "" : "s")}";
            Console.Error.WriteLine($"[loadgen] {label}");
            var c = await Write(consul, clients, value);
            var e = await Write(etcd, clients, value);
            rows.Add(new Row(label, c, e));
            if (clients == 64) reference.Add(new Row(label, c, await Write(etcdGrpc, clients, value)));
        }
        Console.Error.WriteLine("[loadgen] reads");
        var consulDefault = await Read(consul, 64, null);
        var etcdLinearizable = await Read(etcd, 64, null);
        rows.Add(new Row("read, 64 clients: Consul default / etcd linearizable (default)", consulDefault, etcdLinearizable));
        var consulConsistent = await Read(consul, 64, "consistent");
        rows.Add(new Row("read, 64 clients: Consul ?consistent / etcd linearizable", consulConsistent, await Read(etcd, 64, null)));
        reference.Add(new Row("read, 64 clients: Consul ?consistent / etcd linearizable", consulConsistent, await Read(etcdGrpc, 64, null)));
        var consulStale = await Read(consul, 64, "stale");
        rows.Add(new Row("read, 64 clients: Consul ?stale / etcd serializable", consulStale, await Read(etcd, 64, "serializable")));
        reference.Add(new Row("read, 64 clients: Consul ?stale / etcd serializable", consulStale, await Read(etcdGrpc, 64, "serializable")));

        var sb = new StringBuilder(idle);
        sb.AppendLine("Consul.Web HTTP API vs etcd's v3 JSON gateway (both systems' HTTP/JSON interfaces):");
        sb.AppendLine();
        Format(sb, rows, "etcd");
        sb.AppendLine();
        sb.AppendLine("Reference: etcd's native gRPC API (what etcd's own clients use; one HTTP/2 connection), same Consul.Web rows as above:");
        sb.AppendLine();
        Format(sb, reference, "etcd gRPC");
        return sb.ToString();
    }

    /// <summary>CPU of each idle cluster (both idle at once) over 5 s after the warm-up pass, as the baseline for the CPU columns.</summary>
    private static async Task<string> IdleAsync(Side consul, Side etcd)
    {
        var (c0, e0) = (consul.Cpu.Read(), etcd.Cpu.Read());
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (c, e) = (consul.Cpu.Read() - c0, etcd.Cpu.Read() - e0);
        return $"Idle CPU of the three servers (5 s, after the warm-up pass): Consul.Web {c.ServerCores:F2} cores, etcd {e.ServerCores:F2} cores.\n\n";
    }

    private Task<ClosedLoop.Result> Write(Side side, int clients, byte[] value, TimeSpan? length = null) =>
        ClosedLoop.RunAsync(clients, warmup, length ?? window, side.Cpu,
            (c, seq, ct) => side.System.PutAsync(http, side.Leader, Key(c, seq), value, ct));

    private Task<ClosedLoop.Result> Read(Side side, int clients, string? mode, TimeSpan? length = null) =>
        ClosedLoop.RunAsync(clients, warmup, length ?? window, side.Cpu,
            (c, _, ct) => side.System.GetAsync(http, side.Leader, Key(c, 0), mode, ct));

    /// <summary>Each client cycles over 16 keys of its own; client c's key 0 exists after the warm-up pass.</summary>
    private static string Key(int client, long seq) => $"bench/c{client}/k{seq % 16}";

    private static void Format(StringBuilder sb, List<Row> rows, string peer)
    {
        sb.AppendLine("| load | system | ops/s | p50 ms | p99 ms | errors | server CPU (cores) | server CPU µs/op | loadgen CPU (cores) |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Line(sb, r.Load, "Consul.Web", r.Consul);
            Line(sb, "", peer, r.Etcd);
        }
        sb.AppendLine();
        sb.AppendLine($"| load | ops/s Consul.Web/{peer} | p50 Consul.Web/{peer} | p99 Consul.Web/{peer} | CPU µs/op Consul.Web/{peer} |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            sb.AppendLine($"| {r.Load} | {Ratio(r.Consul.PerSecond, r.Etcd.PerSecond)} | " +
                $"{Ratio(P(r.Consul, 50), P(r.Etcd, 50))} | {Ratio(P(r.Consul, 99), P(r.Etcd, 99))} | {Ratio(PerOp(r.Consul), PerOp(r.Etcd))} |");
        }
    }

    private static void Line(StringBuilder sb, string load, string system, ClosedLoop.Result r) =>
        sb.AppendLine($"| {load} | {system} | {r.PerSecond:F0} | {P(r, 50) / 1000:F2} | {P(r, 99) / 1000:F2} | {r.Errors} | " +
            $"{r.Cpu.ServerCores:F2} | {PerOp(r):F0} | {r.Cpu.LoadGenCores:F2} |");

    /// <summary>Server CPU microseconds per completed operation over the measured window.</summary>
    private static double PerOp(ClosedLoop.Result r) =>
        r.Latency.TotalCount == 0 ? double.NaN : r.Cpu.Servers * 1e6 / r.Latency.TotalCount;

    private static double P(ClosedLoop.Result r, double percentile) =>
        r.Latency.TotalCount == 0 ? double.NaN : r.Latency.GetValueAtPercentile(percentile);

    // Numbers format invariantly: Program sets the invariant culture.
    private static string Ratio(double a, double b) => $"{a / b:F2}";
}
