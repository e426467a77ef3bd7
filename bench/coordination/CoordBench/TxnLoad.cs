using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Consul.Bench.Coordination;

/// <summary>Closed-loop PUT /v1/txn load: each client sends its next transaction when the last one answers.</summary>
public static class TxnLoad
{
    public sealed record Result(LongHistogram Latency, TimeSpan Elapsed, long Errors);

    public static async Task<Result> RunAsync(AgentApi api, int opsPerTxn, int clients, TimeSpan duration)
    {
        var rng = new Random(opsPerTxn * 1000 + clients);
        var bodies = Enumerable.Range(0, clients).Select(c => Body(rng, opsPerTxn, c)).ToArray();
        var hists = Enumerable.Range(0, clients).Select(_ => new LongHistogram(1, 60_000_000, 3)).ToArray();
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var end = duration;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            while (clock.Elapsed < end)
            {
                var start = clock.Elapsed;
                if (await api.TxnAsync(bodies[c])) hists[c].RecordValue((long)(clock.Elapsed - start).TotalMicroseconds);
                else Interlocked.Increment(ref errors);
            }
        })));
        var elapsed = clock.Elapsed;
        var total = new LongHistogram(1, 60_000_000, 3);
        foreach (var h in hists) total.Add(h);
        return new Result(total, elapsed, errors);
    }

    /// <summary>A JSON array of KV set operations on distinct keys with 128 random bytes each (base64).</summary>
    private static byte[] Body(Random rng, int ops, int client)
    {
        var list = new List<object>(ops);
        var value = new byte[128];
        for (var i = 0; i < ops; i++)
        {
            rng.NextBytes(value);
            list.Add(new { KV = new { Verb = "set", Key = $"bench/txn/{ops}/{client}/{i}", Value = Convert.ToBase64String(value) } });
        }
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(list));
    }
}
