using System.Diagnostics;
using Consul.Core.Raft;
using HdrHistogram;

namespace Consul.Bench.Raft;

/// <summary>Closed-loop proposers on a leader: 128-byte commands, latency from propose to applied on the leader.</summary>
public static class Load
{
    public static async Task<(double Rate, LongHistogram Latency)> RunAsync(RaftNode leader, int proposers, TimeSpan duration, bool trace = false)
    {
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
                var called = Stopwatch.GetTimestamp();
                var r = await leader.ProposeAsync(payload);
                local.RecordValue(Math.Max(1, (long)sw.Elapsed.TotalMicroseconds));
                if (trace) Trace.Stamp(r.Index, called);
                n++;
            }
            lock (gate) { histogram.Add(local); count += n; }
        })).ToArray();
        await Task.WhenAll(workers);
        return (count / stop.Elapsed.TotalSeconds, histogram);
    }

    public static string Row(int proposers, double rate, LongHistogram h) =>
        FormattableString.Invariant($"| {proposers} | {rate:F0} | {h.GetValueAtPercentile(50) / 1000.0:F2} | {h.GetValueAtPercentile(99) / 1000.0:F2} |");
}

internal sealed class NullStateMachine : IRaftStateMachine
{
    public object? Apply(ulong index, ReadOnlyMemory<byte> command) => null;
    public void WriteSnapshot(Stream destination) { }
    public void Restore(Stream source) { }
}
