using Consul.Core.Gossip.Serf;
using Consul.Tests.Gossip.Sim;
using Xunit.Abstractions;

namespace Consul.Tests.Gossip;

/// <summary>Lifeguard and lossy networks: healthy-but-slow nodes and dropped packets must not cause deaths.</summary>
public sealed class LifeguardSimulationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConvergeLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Slow_node_is_not_declared_dead_thanks_to_lifeguard()
    {
        long withLifeguard = 0, withoutLifeguard = 0;
        SeedRunner.Run(output, "lifeguard-30", 6, seed =>
        {
            var (failed, refutations) = RunSlowNode(seed, lifeguard: true);
            Assert.True(failed.Count == 0, $"declared failed: {string.Join(",", failed)}");
            withLifeguard += refutations;
            // Same run without Lifeguard (no health-scaled timeouts, no confirmation-based suspicion).
            withoutLifeguard += RunSlowNode(seed, lifeguard: false).Refutations;
        });
        output.WriteLine($"refutations by healthy nodes: {withLifeguard} with Lifeguard, {withoutLifeguard} without");
        Assert.True(withoutLifeguard > 5 * Math.Max(1, withLifeguard), "Lifeguard made no difference");
    }

    private static (List<string> Failed, long Refutations) RunSlowNode(int seed, bool lifeguard)
    {
        var net = SimCluster.StartConverged(seed, 30, ConvergeLimit, c => c with
        {
            Swim = c.Swim with { AwarenessMaxMultiplier = lifeguard ? 8 : 1, SuspicionMaxTimeoutMult = lifeguard ? 6 : 1 },
        });
        var slow = net.Nodes[net.Rng.Next(30)];
        // Every packet to or from it waits an extra 600 ms: beyond the 500 ms probe timeout.
        slow.SlowDelay = TimeSpan.FromMilliseconds(600);
        var before = net.Nodes.ToDictionary(n => n, n => n.Core.Swim.Incarnation);
        net.RunFor(TimeSpan.FromSeconds(120));
        var failed = net.Nodes.SelectMany(o => o.Events).Select(e => e.Event).OfType<MemberEvent>()
            .Where(e => e.Type == MemberEventType.Failed).Select(e => e.Member.Name).Distinct().ToList();
        var refutations = net.Nodes.Where(n => n != slow).Sum(n => (long)(n.Core.Swim.Incarnation - before[n]));
        return (failed, refutations);
    }

    [Theory]
    [InlineData(0.10)]
    [InlineData(0.20)]
    public void False_positive_rate_under_packet_loss_is_recorded_and_small(double loss)
    {
        var accusedTotal = 0;
        var nodesTotal = 0;
        var runs = 0;
        SeedRunner.Run(output, $"loss-{loss:P0}", 5, seed =>
        {
            var net = SimCluster.StartConverged(seed, 50, ConvergeLimit);
            net.LossRate = loss;
            net.RunFor(TimeSpan.FromSeconds(120));
            var accused = net.Nodes.SelectMany(o => o.Events)
                .Where(e => e.Event is MemberEvent { Type: MemberEventType.Failed })
                .Select(e => ((MemberEvent)e.Event).Member.Name).Distinct().Count();
            accusedTotal += accused;
            nodesTotal += net.Nodes.Count;
            runs++;
        });
        var rate = (double)accusedTotal / nodesTotal;
        output.WriteLine($"packet loss {loss:P0}: {accusedTotal} of {nodesTotal} node-runs falsely declared failed (rate {rate:P2}) over {runs} runs of 120 s");
        Assert.True(rate < 0.02, $"false-positive rate {rate:P2}");
    }
}
