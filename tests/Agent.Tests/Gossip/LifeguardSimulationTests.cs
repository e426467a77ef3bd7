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
        SeedRunner.Run(output, "lifeguard-30", 10, seed =>
        {
            var net = SimCluster.StartConverged(seed, 30, ConvergeLimit);
            var slow = net.Nodes[net.Rng.Next(30)];
            // Every packet to or from it waits an extra 600 ms: beyond the 500 ms probe timeout.
            slow.SlowDelay = TimeSpan.FromMilliseconds(600);
            net.RunFor(TimeSpan.FromSeconds(120));
            foreach (var o in net.Nodes)
            {
                var failed = o.Events.Where(e => e.Event is MemberEvent { Type: MemberEventType.Failed }).ToList();
                Assert.True(failed.Count == 0, $"{o.Name} declared failed: {string.Join(",", failed.Select(f => ((MemberEvent)f.Event).Member.Name))}");
            }
            output.WriteLine($"seed {seed}: slow node awareness score {slow.Core.Swim.Awareness.Score}, incarnation {slow.Core.Swim.Incarnation}");
        });
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
