using System.Net;
using Consul.Core.Gossip.Serf;
using Consul.Tests.Gossip.Sim;
using Xunit.Abstractions;

namespace Consul.Tests.Gossip;

/// <summary>Serf behaviour over the simulator: reaping, force-leave, tags, coalescing, restarts.</summary>
public sealed class SerfSimulationTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ConvergeLimit = TimeSpan.FromSeconds(60);

    private static bool Known(SimNetwork net, SimNode observer, SimNode subject) => observer.Core.GetMember(subject.Name) != null;

    [Fact]
    public void Failed_member_is_reaped_after_reconnect_timeout_but_not_before()
    {
        SeedRunner.Run(output, "reap-failed", 5, seed =>
        {
            var net = SimCluster.StartConverged(seed, 20, ConvergeLimit, c => c with { ReconnectTimeout = TimeSpan.FromMinutes(3) });
            var victim = net.Nodes[5];
            net.Kill(victim);
            Assert.NotNull(net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, victim) == MemberStatus.Failed), TimeSpan.FromSeconds(60)));
            net.RunFor(TimeSpan.FromMinutes(2));
            Assert.All(net.Live, o => Assert.True(Known(net, o, victim), $"{o.Name} reaped too early"));
            Assert.NotNull(net.RunUntil(() => net.Live.All(o => !Known(net, o, victim)), TimeSpan.FromMinutes(2)));
            Assert.All(net.Live, o => Assert.Contains(o.Events, e => e.Event is MemberEvent { Type: MemberEventType.Reap } r && r.Member.Name == victim.Name));
        });
    }

    [Fact]
    public void Default_reconnect_timeout_is_72h_and_tombstones_are_reaped()
    {
        Assert.Equal(TimeSpan.FromHours(72), new SerfConfig { Swim = new() { Name = "x" } }.ReconnectTimeout);
        var net = SimCluster.StartConverged(3, 12, ConvergeLimit, c => c with { TombstoneTimeout = TimeSpan.FromMinutes(2) });
        var leaver = net.Nodes[4];
        net.Leave(leaver);
        Assert.NotNull(net.RunUntil(() => leaver.Core.State == SerfState.Left, TimeSpan.FromSeconds(15)));
        net.Kill(leaver);
        Assert.NotNull(net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, leaver) == MemberStatus.Left), TimeSpan.FromSeconds(20)));
        Assert.NotNull(net.RunUntil(() => net.Live.All(o => !Known(net, o, leaver)), TimeSpan.FromMinutes(3)));
    }

    [Fact]
    public void Force_leave_turns_a_failed_member_into_left_and_prune_forgets_it()
    {
        SeedRunner.Run(output, "force-leave", 5, seed =>
        {
            var net = SimCluster.StartConverged(seed, 20, ConvergeLimit);
            var (v1, v2) = (net.Nodes[3], net.Nodes[8]);
            net.Kill(v1);
            net.Kill(v2);
            Assert.NotNull(net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, v1) == MemberStatus.Failed && net.StatusSeenBy(o, v2) == MemberStatus.Failed), TimeSpan.FromSeconds(90)));
            var admin = net.Nodes[0];
            Assert.True(admin.Core.ForceLeave(v1.Name, prune: false, net.Now));
            Assert.True(admin.Core.ForceLeave(v2.Name, prune: true, net.Now));
            Assert.False(admin.Core.ForceLeave("no-such-node", prune: false, net.Now));
            net.Poke(admin);
            Assert.NotNull(net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, v1) == MemberStatus.Left && !Known(net, o, v2)), TimeSpan.FromSeconds(20)));
            Assert.All(net.Live, o => Assert.Contains(o.Events, e => e.Event is MemberEvent { Type: MemberEventType.Leave } l && l.Member.Name == v1.Name));
        });
    }

    [Fact]
    public void Tag_changes_propagate_as_member_updates()
    {
        var net = SimCluster.StartConverged(11, 25, ConvergeLimit);
        var n = net.Nodes[6];
        n.Core.SetTags(new Dictionary<string, string>(n.Core.Tags) { ["build"] = "1.21.1" }, net.Now);
        net.Poke(n);
        Assert.NotNull(net.RunUntil(() => net.Live.All(o => o.Core.GetMember(n.Name)!.Tag("build") == "1.21.1"), TimeSpan.FromSeconds(10)));
        Assert.Contains(net.Nodes[0].Events, e => e.Event is MemberEvent { Type: MemberEventType.Update } u && u.Member.Name == n.Name);
        Assert.Throws<ArgumentException>(() => n.Core.SetTags(new Dictionary<string, string> { ["big"] = new string('x', 600) }, net.Now));
    }

    [Fact]
    public void Coalesced_user_events_deliver_only_the_latest_per_name()
    {
        var net = SimCluster.StartConverged(12, 20, ConvergeLimit, c => c with { UserCoalescePeriod = TimeSpan.FromSeconds(2) });
        var origin = net.Nodes[2];
        for (var i = 0; i < 5; i++)
        {
            net.UserEvent(origin, "deploy", [(byte)i], coalesce: true);
            net.RunFor(TimeSpan.FromMilliseconds(50));
        }
        net.UserEvent(origin, "plain", [1]);
        net.UserEvent(origin, "plain", [2]);
        net.RunFor(TimeSpan.FromSeconds(10));
        foreach (var o in net.Nodes)
        {
            var got = o.Events.Select(e => e.Event).OfType<UserEvent>().ToList();
            var deploys = got.Where(g => g.Name == "deploy").ToList();
            Assert.NotEmpty(deploys);
            Assert.True(deploys.Count < 5, $"{o.Name} got {deploys.Count} deploy events");
            Assert.Equal(4, deploys[^1].Payload[0]);
            Assert.Equal(2, got.Count(g => g.Name == "plain"));
        }
        Assert.Throws<ArgumentException>(() => origin.Core.UserEvent("big", new byte[600], false, net.Now));
    }

    [Fact]
    public void Restart_on_the_same_address_refutes_its_death_and_does_not_replay_old_events()
    {
        SeedRunner.Run(output, "restart", 5, seed =>
        {
            var net = SimCluster.StartConverged(seed, 20, ConvergeLimit);
            net.UserEvent(net.Nodes[1], "old", [1]);
            net.RunFor(TimeSpan.FromSeconds(5));
            var node = net.Nodes[9];
            var snapshot = node.Core.TakeSnapshot();
            Assert.Equal(19, snapshot.Alive.Count);
            net.Kill(node);
            Assert.NotNull(net.RunUntil(() => net.Live.All(o => net.StatusSeenBy(o, node) == MemberStatus.Failed), TimeSpan.FromSeconds(60)));
            node.Events.Clear();
            net.Restart(node);
            node.Core.RestoreClocks(snapshot);
            var seedAddr = IPEndPoint.Parse(snapshot.Alive[0].Addr);
            node.Core.Join([seedAddr], ignoreOld: true, net.Now);
            net.Poke(node);
            Assert.NotNull(net.RunUntil(net.Converged, TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain(node.Events, e => e.Event is UserEvent);
        });
    }

    [Fact]
    public void Vivaldi_coordinates_learned_from_probes_estimate_rtt()
    {
        var net = new SimNetwork(21);
        var rng = new Random(21);
        var pos = new Dictionary<int, (double X, double Y)>();
        // One-way latency = distance in a 40 ms square plus 0.5 ms.
        net.PairLatency = (a, b) =>
        {
            var (pa, pb) = (pos[a.Index], pos[b.Index]);
            var d = Math.Sqrt(Math.Pow(pa.X - pb.X, 2) + Math.Pow(pa.Y - pb.Y, 2));
            return TimeSpan.FromMilliseconds(0.5 + d);
        };
        for (var i = 0; i < 20; i++)
        {
            pos[i] = (rng.NextDouble() * 40, rng.NextDouble() * 40);
            var node = net.AddNode();
            if (i > 0) net.Join(node, net.Nodes[0]);
        }
        net.RunFor(TimeSpan.FromMinutes(5));
        var errors = new List<double>();
        foreach (var a in net.Nodes)
        foreach (var b in net.Nodes)
        {
            if (a == b) continue;
            var estimate = a.Core.GetCoordinate().DistanceTo(a.Core.GetCachedCoordinate(b.Name) ?? throw new Xunit.Sdk.XunitException($"{a.Name} has no coordinate for {b.Name}"));
            var actual = 2 * net.PairLatency(a, b);
            errors.Add(Math.Abs(estimate.TotalMilliseconds - actual.TotalMilliseconds) / actual.TotalMilliseconds);
        }
        errors.Sort();
        var median = errors[errors.Count / 2];
        output.WriteLine($"Vivaldi relative RTT error: median {median:P1}, p90 {errors[errors.Count * 9 / 10]:P1}");
        Assert.True(median < 0.25, $"median relative error {median:P1}");
    }
}
