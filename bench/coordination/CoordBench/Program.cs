// Coordination benchmark against a running agent: KV lock hand-over latency through
// sessions, and /v1/txn throughput. usage: CoordBench [http://127.0.0.61:8500] [handovers] [txn-seconds]
using Consul.Bench.Coordination;
using HdrHistogram;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.61:8500";
var handovers = args.Length > 1 ? int.Parse(args[1]) : 200;
var txnSeconds = args.Length > 2 ? int.Parse(args[2]) : 10;

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    UseProxy = false,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
})
{ BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };
var api = new AgentApi(http);

var handover = await LockHandover.RunAsync(api, handovers);
Console.WriteLine($"## Lock hand-over ({handovers} hand-overs alternating A/B, sessions with LockDelay 0s)");
Console.WriteLine();
Console.WriteLine("| measured from | hand-overs | p50 ms | p99 ms | max ms |");
Console.WriteLine("| --- | --- | --- | --- | --- |");
Row("A's ?release= response", handover.FromReleaseResponse);
Row("A's ?release= request sent", handover.FromReleaseSent);
Console.WriteLine();
Console.WriteLine($"B's acquire response arrived before A's release response in {handover.BeforeReleaseResponse} of {handovers} hand-overs (counted as 0 ms in the first row).");
Console.WriteLine();

Console.WriteLine($"## Txn throughput (PUT /v1/txn, KV set, 128-byte values, {txnSeconds} s per row)");
Console.WriteLine();
Console.WriteLine("| ops/txn | clients | txn/s | ops/s | p50 ms | p99 ms | errors |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
foreach (var ops in new[] { 1, 16, 64 })
{
    foreach (var clients in new[] { 16, 64 })
    {
        var r = await TxnLoad.RunAsync(api, ops, clients, TimeSpan.FromSeconds(txnSeconds));
        var txnPerSec = r.Latency.TotalCount / r.Elapsed.TotalSeconds;
        Console.WriteLine($"| {ops} | {clients} | {txnPerSec:F0} | {txnPerSec * ops:F0} | {Ms(r.Latency.GetValueAtPercentile(50))} | {Ms(r.Latency.GetValueAtPercentile(99))} | {r.Errors} |");
    }
}
return 0;

static void Row(string from, HdrHistogram.LongHistogram h) =>
    Console.WriteLine($"| {from} | {h.TotalCount} | {Ms(h.GetValueAtPercentile(50))} | {Ms(h.GetValueAtPercentile(99))} | {Ms(h.GetMaxValue())} |");

// Histograms record microseconds.
static string Ms(long micros) => (micros / 1000.0).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
