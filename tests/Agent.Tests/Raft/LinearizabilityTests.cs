using System.Collections.Concurrent;
using Consul.Tests.Raft.Linearizability;
using Consul.Tests.Raft.Sim;
using Xunit.Abstractions;

namespace Consul.Tests.Raft;

public sealed class LinearizabilityTests(ITestOutputHelper output)
{
    private static HistoryEvent W(int c, int v, long a, long b) => new(c, HistoryOp.Write, v, 0, a, b, 0, false);
    private static HistoryEvent R(int c, int v, long a, long b) => new(c, HistoryOp.Read, 0, 0, a, b, v, false);
    private static HistoryEvent Cas(int c, int from, int to, bool ok, long a, long b) => new(c, HistoryOp.Cas, from, to, a, b, 0, ok);

    [Fact]
    public void Checker_accepts_linearizable_histories()
    {
        Assert.True(RegisterLinearizability.Check([W(1, 1, 0, 10), R(2, 1, 11, 12), Cas(1, 1, 2, true, 13, 20), R(2, 2, 21, 22)]));
        // Overlapping write and read may see either value.
        Assert.True(RegisterLinearizability.Check([W(1, 1, 0, 10), R(2, 0, 1, 2), R(3, 1, 3, 4)]));
        // An unknown write may take effect late or never.
        Assert.True(RegisterLinearizability.Check([W(1, 5, 0, long.MaxValue), R(2, 0, 10, 11), R(2, 5, 12, 13)]));
        Assert.True(RegisterLinearizability.Check([W(1, 5, 0, long.MaxValue), R(2, 0, 10, 11)]));
    }

    [Fact]
    public void Checker_rejects_stale_and_impossible_reads()
    {
        // A read after a completed write must see it.
        Assert.False(RegisterLinearizability.Check([W(1, 1, 0, 10), R(2, 0, 11, 12)]));
        // Once a read saw the new value, a later read cannot see the old one.
        Assert.False(RegisterLinearizability.Check([W(1, 1, 0, 100), R(2, 1, 10, 11), R(3, 0, 20, 21)]));
        // A CAS cannot succeed from a value the register never held.
        Assert.False(RegisterLinearizability.Check([W(1, 1, 0, 10), Cas(2, 7, 8, true, 20, 30)]));
        // A value nobody wrote.
        Assert.False(RegisterLinearizability.Check([R(1, 9, 0, 1)]));
    }

    [Fact]
    public void Lease_and_read_index_reads_are_linearizable_under_faults()
    {
        var seeds = int.TryParse(Environment.GetEnvironmentVariable("RAFT_LIN_SEEDS"), out var s) ? s : 60;
        var failures = new ConcurrentBag<string>();
        var ops = 0L;
        Parallel.For(0, seeds, i =>
        {
            var seed = 5_000_000 + i;
            var o = new SimOptions
            {
                Seed = seed, Nodes = 3 + 2 * (i % 2), InitialVoters = 3 + 2 * (i % 2), ChaosTicks = 200, Clients = 4,
                ProposePerTick = 0.3, CrashPerTick = 0.01, PartitionPerTick = 0.015,
            };
            try
            {
                var sim = new SimCluster(o);
                sim.Run();
                Interlocked.Add(ref ops, sim.History.Count);
                if (!RegisterLinearizability.Check(sim.History))
                    failures.Add($"seed {seed}: history not linearizable:\n" + string.Join("\n", sim.History.OrderBy(h => h.Invoke)));
            }
            catch (Exception e) { failures.Add($"seed {seed}: {e.Message}"); }
        });
        output.WriteLine($"{seeds} seeds, {ops} operations checked");
        Assert.True(ops > seeds * 10, "workload too small to mean anything");
        Assert.True(failures.IsEmpty, failures.FirstOrDefault());
    }
}
