using System.Diagnostics;
using HdrHistogram;

namespace Consul.Bench.Cluster;

/// <summary>
/// N clients, each sending its next request as soon as the last one answered, for warm-up plus a
/// measured window. Only requests that start and finish inside the window count.
/// </summary>
public static class ClosedLoop
{
    public sealed record Result(LongHistogram Latency, double Seconds, long Errors, CpuSample.Delta Cpu)
    {
        public double PerSecond => Latency.TotalCount / Seconds;
    }

    /// <summary>Runs <paramref name="request"/>(client, sequence) from <paramref name="clients"/> loops; histograms record microseconds.</summary>
    public static async Task<Result> RunAsync(int clients, TimeSpan warmup, TimeSpan window, CpuSample cpu,
        Func<int, long, CancellationToken, Task<bool>> request)
    {
        var hists = Enumerable.Range(0, clients).Select(_ => new LongHistogram(1, 60_000_000, 3)).ToArray();
        long errors = 0;
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var measureTo = warmup + window;
        using var stop = new CancellationTokenSource(measureTo + TimeSpan.FromSeconds(30));
        CpuSample.Reading? before = null;
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(warmup);
            before = cpu.Read();
        });
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            long seq = 0;
            while (clock.Elapsed < measureTo)
            {
                var start = clock.Elapsed;
                bool ok;
                try { ok = await request(c, seq++, stop.Token); }
                // Any failure (HTTP, gRPC status, timeout) counts as an error; the errors column shows it.
                catch (Exception) { ok = false; }
                var end = clock.Elapsed;
                if (start < measureFrom || end > measureTo) continue;
                if (ok) hists[c].RecordValue(Math.Max(1, (long)(end - start).TotalMicroseconds));
                else Interlocked.Increment(ref errors);
            }
        })));
        var after = cpu.Read();
        await sampler;
        var total = new LongHistogram(1, 60_000_000, 3);
        foreach (var h in hists) total.Add(h);
        return new Result(total, window.TotalSeconds, errors, after - before!);
    }
}
