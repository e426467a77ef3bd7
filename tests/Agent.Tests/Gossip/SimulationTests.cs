using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;
using Consul.Tests.Gossip.Sim;
using Xunit.Abstractions;

namespace Consul.Tests.Gossip;

/// <summary>Many simulated nodes, fake clock, one seed per run (see SeedRunner for replay).</summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConvergeLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void Joins_converge_to_full_membership()
    {
        SeedRunner.Run(output, "converge-50", 40, seed =>
        {
            var net = SimCluster.Start(seed, 50);
            var at = net.RunUntil(net.Converged, ConvergeLimit);
            Assert.True(at != null, "not converged: " + net.Describe());
            // Tags travel with membership.
            var m = net.Nodes[7].Core.GetMember(net.Nodes[3].Name)!;
            Assert.Equal("dc1", m.Tag("dc"));
            Assert.Equal(net.Nodes[3].Name, m.Tag("id"));
        });
    }

    [Fact]
    public void Killed_node_is_marked_failed_everywhere_within_the_memberlist_bound()
    {
        var detection = new List<double>();
        const int n = 50;
        // memberlist's bound: a probe round to notice, then at most the max suspicion timeout,
        // then dissemination of the dead message.
        var min = SwimMath.SuspicionTimeout(4, n, TimeSpan.FromSeconds(1));
        var bound = min * 6 + TimeSpan.FromSeconds(5);
        SeedRunner.Run(output, "detect-50", 25, seed =>
        {
            var net = SimCluster.StartConverged(seed, n, ConvergeLimit);
            var victim = net.Nodes[net.Rng.Next(n)];
            var killedAt = net.Now;
            net.Kill(victim);
            var at = net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, victim) == MemberStatus.Failed), bound);
            Assert.True(at != null, $"{victim.Name} not failed everywhere within {bound.TotalSeconds}s: " +
                string.Join(",", net.Live.GroupBy(o => net.StatusSeenBy(o, victim)).Select(g => $"{g.Key}={g.Count()}")));
            detection.Add((at!.Value - killedAt).TotalSeconds);
            // Nobody else was accused.
            foreach (var o in net.Live)
                Assert.DoesNotContain(o.Events, e => e.Event is MemberEvent { Type: MemberEventType.Failed } me && me.Member.Name != victim.Name);
        });
        detection.Sort();
        output.WriteLine($"failed-everywhere time at n={n}: min {detection[0]:F1}s median {detection[detection.Count / 2]:F1}s max {detection[^1]:F1}s " +
                         $"(suspicion min {min.TotalSeconds:F1}s, max {(min * 6).TotalSeconds:F1}s, bound {bound.TotalSeconds:F1}s)");
    }

    [Fact]
    public void Graceful_leave_propagates_as_left_not_failed()
    {
        SeedRunner.Run(output, "leave-30", 30, seed =>
        {
            var net = SimCluster.StartConverged(seed, 30, ConvergeLimit);
            var leaver = net.Nodes[net.Rng.Next(30)];
            net.Leave(leaver);
            var done = net.RunUntil(() => leaver.Core.State == SerfState.Left, TimeSpan.FromSeconds(15));
            Assert.True(done != null, "leave did not complete");
            net.Kill(leaver); // the process exits after leaving
            var at = net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, leaver) == MemberStatus.Left), TimeSpan.FromSeconds(10));
            Assert.True(at != null, "not left everywhere: " +
                string.Join(",", net.Live.GroupBy(o => net.StatusSeenBy(o, leaver)).Select(g => $"{g.Key}={g.Count()}")));
            net.RunFor(TimeSpan.FromSeconds(30));
            foreach (var o in net.Live)
            {
                Assert.Equal(MemberStatus.Left, net.StatusSeenBy(o, leaver));
                Assert.DoesNotContain(o.Events, e => e.Event is MemberEvent { Type: MemberEventType.Failed });
            }
        });
    }

    [Fact]
    public void Partition_marks_the_other_side_failed_and_heal_merges_back()
    {
        SeedRunner.Run(output, "partition-40", 6, seed =>
        {
            var net = SimCluster.StartConverged(seed, 40, ConvergeLimit);
            net.Partition(n => n.Index % 2);
            var split = net.RunUntil(() => net.Live.All(o => net.Live.All(s =>
                (o.Group == s.Group) == (net.StatusSeenBy(o, s) == MemberStatus.Alive))), TimeSpan.FromSeconds(90));
            Assert.True(split != null, "partition not detected: " + net.Describe());
            net.Heal();
            // Serf's reconnect loop (every 30 s) rejoins failed members.
            var healed = net.RunUntil(net.Converged, TimeSpan.FromSeconds(150));
            Assert.True(healed != null, "not merged after heal: " + net.Describe());
        });
    }

    [Fact]
    public void User_events_are_delivered_once_each_in_lamport_order()
    {
        SeedRunner.Run(output, "events-30", 15, seed =>
        {
            var net = SimCluster.StartConverged(seed, 30, ConvergeLimit);
            // Let the join storm's broadcasts drain first: SWIM messages take priority over
            // Serf's in each packet (as in memberlist), so an event fired into full queues can
            // reach some nodes only later, by push-pull. Serf promises once-only delivery;
            // Lamport order holds when events are spaced wider than dissemination time.
            net.RunFor(TimeSpan.FromSeconds(30));
            var fired = new List<string>();
            for (var i = 0; i < 8; i++)
            {
                var from = net.Nodes[net.Rng.Next(30)];
                var name = $"deploy-{i}";
                net.UserEvent(from, name, [(byte)i]);
                fired.Add(name);
                net.RunFor(TimeSpan.FromSeconds(3));
            }
            net.RunFor(TimeSpan.FromSeconds(10));
            foreach (var o in net.Nodes)
            {
                var got = o.Events.Select(e => e.Event).OfType<UserEvent>().ToList();
                Assert.Equal(fired, got.Select(g => g.Name).ToList());
                Assert.True(got.Zip(got.Skip(1)).All(p => p.First.LTime < p.Second.LTime), "out of Lamport order at " + o.Name);
            }
        });
    }

    [Fact]
    public void Hundreds_of_nodes_converge_and_detect_a_failure()
    {
        // The join storm costs O(N^2) messages: 250 nodes by default, 500 with GOSSIP_SIM_LARGE=1.
        var n = Environment.GetEnvironmentVariable("GOSSIP_SIM_LARGE") == "1" ? 500 : 250;
        SeedRunner.Run(output, $"converge-{n}", 1, seed =>
        {
            var net = SimCluster.Start(seed, n);
            var at = net.RunUntil(net.Converged, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1));
            Assert.True(at != null, "not converged: " + net.Describe());
            var victim = net.Nodes[net.Rng.Next(n)];
            var killedAt = net.Now;
            net.Kill(victim);
            var bound = SwimMath.SuspicionTimeout(4, n, TimeSpan.FromSeconds(1)) * 6 + TimeSpan.FromSeconds(5);
            var done = net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, victim) == MemberStatus.Failed), bound, TimeSpan.FromSeconds(1));
            Assert.True(done != null, $"not failed everywhere within {bound.TotalSeconds}s");
            output.WriteLine($"{n} nodes: converged at {at!.Value.TotalSeconds:F1}s sim, failure everywhere after {(done!.Value - killedAt).TotalSeconds:F1}s");
        }, first: 500);
    }

    [Fact]
    public void Wan_pool_of_servers_uses_wan_defaults_and_detects_failures()
    {
        SeedRunner.Run(output, "wan-15", 5, seed =>
        {
            var net = SimCluster.StartConverged(seed, 15, ConvergeLimit, c => c with { Swim = SwimConfig.DefaultWan(c.Swim.Name, c.Swim.Address) });
            Assert.Equal(TimeSpan.FromSeconds(5), net.Nodes[0].Core.Swim.Config.ProbeInterval);
            var victim = net.Nodes[net.Rng.Next(15)];
            var killedAt = net.Now;
            net.Kill(victim);
            // WAN: 6 * log10(15) * 5 s minimum suspicion, up to 6x that.
            var min = SwimMath.SuspicionTimeout(6, 15, TimeSpan.FromSeconds(5));
            var at = net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, victim) == MemberStatus.Failed), min * 6 + TimeSpan.FromSeconds(20));
            Assert.True(at != null, "WAN failure not detected");
            Assert.True(at!.Value - killedAt >= min, "declared dead faster than the WAN suspicion timeout");
        });
    }

    [Fact]
    public void A_seed_replays_the_same_run()
    {
        static string Trace(int seed)
        {
            var net = SimCluster.Start(seed, 20);
            net.LossRate = 0.05;
            net.RunFor(TimeSpan.FromSeconds(10));
            net.Kill(net.Nodes[4]);
            net.UserEvent(net.Nodes[2], "e", [1]);
            net.RunFor(TimeSpan.FromSeconds(30));
            return string.Join("\n", net.Nodes.SelectMany(n => n.Events.Select(e => $"{n.Name} {e.At.Ticks} {e.Event}")))
                   + $"\nudp={net.UdpPackets} bytes={net.UdpBytes} stream={net.StreamBytes}";
        }
        var first = Trace(77);
        Assert.Equal(first, Trace(77));
        Assert.NotEqual(first, Trace(78));
    }
}
