using System.Diagnostics;
using Consul.Core.Raft;
using Xunit.Abstractions;

namespace Consul.Tests.Raft;

/// <summary>Wall-clock timing tests run alone: CPU-heavy tests running beside them would skew the clock.</summary>
[CollectionDefinition("raft-timing", DisableParallelization = true)]
public sealed class RaftTimingCollection;

/// <summary>Default timings (raft_multiplier 1) on real clocks: failover speed and quiet idling.</summary>
[Collection("raft-timing")]
public sealed class RaftTimingTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task Default_timings_fail_over_fast_and_idle_without_elections()
    {
        var c = new TestCluster(id => new RaftNodeOptions { Id = id, Address = id });
        await using var _ = c;
        var config = new RaftConfiguration(new[] { "a", "b", "c" }.Select(i => new ServerInfo(i, i, true)));
        foreach (var id in new[] { "a", "b", "c" }) c.Add(id).Bootstrap(config);
        foreach (var n in c.Nodes.Values) await n.StartAsync();
        var timeout = TimeSpan.FromSeconds(10);
        await c.ProposeAsync("warm-up", timeout);

        // Idle: heartbeats only, nobody should start an election.
        var leader = c.Leader!;
        var before = c.Nodes.Values.Sum(n => n.Status!.ElectionsStarted);
        var idle = Stopwatch.StartNew();
        await TestCluster.WaitUntilAsync(() => idle.Elapsed > TimeSpan.FromSeconds(3) || !leader.IsLeader, TimeSpan.FromSeconds(5), "idle period");
        var spurious = c.Nodes.Values.Sum(n => n.Status!.ElectionsStarted) - before;
        output.WriteLine($"elections during 3 s idle: {spurious}");
        Assert.True(leader.IsLeader, "leader changed while idle");
        Assert.Equal(0, spurious);

        // Failover: cut the leader off (as if it died) and time until another server leads.
        var times = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var old = await c.WaitForLeaderAsync(timeout);
            await c.ProposeAsync("round" + round, timeout);
            var sw = Stopwatch.StartNew();
            c.Network.Isolate(old.Id);
            await c.WaitForLeaderAsync(timeout, except: old.Id);
            times.Add(sw.Elapsed.TotalMilliseconds);
            c.Network.Reconnect(old.Id);
            await TestCluster.WaitUntilAsync(() => !old.IsLeader, timeout, "old leader to step down");
        }
        times.Sort();
        var median = times[times.Count / 2];
        output.WriteLine($"failover ms: {string.Join(", ", times.Select(t => t.ToString("F0")))}; median {median:F0}");
        Assert.True(median < 1500, $"median failover {median:F0} ms");
    }
}
