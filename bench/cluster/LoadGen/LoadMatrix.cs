using System.Text;

namespace Consul.Bench.Cluster;

/// <summary>
/// The throughput/latency table: writes at 1, 16 and 64 clients and reads at 64 clients, each row
/// run against Consul.Web and then etcd straight after, so both see the same machine load.
/// </summary>
public sealed class LoadMatrix(HttpClient http, TimeSpan warmup, TimeSpan window)
{
    public sealed record Side(IKvSystem System, string Leader, CpuSample Cpu);

    private sealed record Row(string Load, ClosedLoop.Result Consul, ClosedLoop.Result Etcd);

    public async Task<string> RunAsync(Side consul, Side etcd)
    {
        var value = Encoding.ASCII.GetBytes(new string('v', 128));
        var idle = await IdleAsync(consul, etcd);
        // Discarded pass so both start the table JIT-compiled, connected and with their keys written.
        Console.Error.WriteLine("[loadgen] warm-up pass");
        foreach (var side in new[] { consul, etcd })
        {
            await Write(side, 64, value, TimeSpan.FromSeconds(4));
            await Read(side, 64, null, TimeSpan.FromSeconds(2));
        }
        var rows = new List<Row>();
        foreach (var clients in new[] { 1, 16, 64 })
        {
            var label = $"write 128 B, {clients} client{(clients == 1 ? "" : "s")}";
            Console.Error.WriteLine($"[loadgen] {label}");
            var c = await Write(consul, clients, value);
            var e = await Write(etcd, clients, value);
            rows.Add(new Row(label, c, e));
        }
        Console.Error.WriteLine("[loadgen] reads");
        rows.Add(new Row("read, 64 clients: Consul default / etcd linearizable (default)",
            await Read(consul, 64, null), await Read(etcd, 64, null)));
        rows.Add(new Row("read, 64 clients: Consul ?consistent / etcd linearizable",
            await Read(consul, 64, "consistent"), await Read(etcd, 64, null)));
        rows.Add(new Row("read, 64 clients: Consul ?stale / etcd serializable",
            await Read(consul, 64, "stale"), await Read(etcd, 64, "serializable")));
        return idle + Format(rows);
    }

    /// <summary>CPU of each idle cluster (both idle at once) over 5 s, as the baseline for the CPU columns.</summary>
    private static async Task<string> IdleAsync(Side consul, Side etcd)
    {
        var (c0, e0) = (consul.Cpu.Read(), etcd.Cpu.Read());
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (c, e) = (consul.Cpu.Read() - c0, etcd.Cpu.Read() - e0);
        return $"Idle CPU of the three servers (5 s, before any load): Consul.Web {c.ServerCores:F2} cores, etcd {e.ServerCores:F2} cores.\n\n";
    }

    private Task<ClosedLoop.Result> Write(Side side, int clients, byte[] value, TimeSpan? length = null) =>
        ClosedLoop.RunAsync(clients, warmup, length ?? window, side.Cpu,
            (c, seq, ct) => side.System.PutAsync(http, side.Leader, Key(c, seq), value, ct));

    private Task<ClosedLoop.Result> Read(Side side, int clients, string? mode, TimeSpan? length = null) =>
        ClosedLoop.RunAsync(clients, warmup, length ?? window, side.Cpu,
            (c, _, ct) => side.System.GetAsync(http, side.Leader, Key(c, 0), mode, ct));

    /// <summary>Each client cycles over 16 keys of its own; client c's key 0 exists after the 64-client write row.</summary>
    private static string Key(int client, long seq) => $"bench/c{client}/k{seq % 16}";

    private static string Format(List<Row> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| load | system | ops/s | p50 ms | p99 ms | errors | server CPU (cores) | server CPU µs/op | loadgen CPU (cores) |");
        sb.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Line(sb, r.Load, "Consul.Web", r.Consul);
            Line(sb, "", "etcd", r.Etcd);
        }
        sb.AppendLine();
        sb.AppendLine("| load | ops/s Consul.Web/etcd | p50 Consul.Web/etcd | p99 Consul.Web/etcd |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            sb.AppendLine($"| {r.Load} | {Ratio(r.Consul.PerSecond, r.Etcd.PerSecond)} | " +
                $"{Ratio(P(r.Consul, 50), P(r.Etcd, 50))} | {Ratio(P(r.Consul, 99), P(r.Etcd, 99))} |");
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string load, string system, ClosedLoop.Result r)
    {
        var perOp = r.Latency.TotalCount == 0 ? 0 : r.Cpu.Servers * 1e6 / (r.PerSecond * r.Cpu.Wall);
        sb.AppendLine($"| {load} | {system} | {r.PerSecond:F0} | {P(r, 50) / 1000:F2} | {P(r, 99) / 1000:F2} | {r.Errors} | " +
            $"{r.Cpu.ServerCores:F2} | {perOp:F0} | {r.Cpu.LoadGenCores:F2} |");
    }

    private static double P(ClosedLoop.Result r, double percentile) =>
        r.Latency.TotalCount == 0 ? double.NaN : r.Latency.GetValueAtPercentile(percentile);

    // Numbers format invariantly: Program sets the invariant culture.
    private static string Ratio(double a, double b) => $"{a / b:F2}";
}
