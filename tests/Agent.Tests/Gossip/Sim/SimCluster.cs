namespace Consul.Tests.Gossip.Sim;

/// <summary>Common set-ups for simulation scenarios.</summary>
internal static class SimCluster
{
    /// <summary>Starts <paramref name="n"/> nodes; each joins one or two earlier nodes.</summary>
    public static SimNetwork Start(int seed, int n, Func<Consul.Core.Gossip.Serf.SerfConfig, Consul.Core.Gossip.Serf.SerfConfig>? configure = null)
    {
        var net = new SimNetwork(seed, configure);
        net.Invariant = Invariants.Check;
        net.AddNode();
        for (var i = 1; i < n; i++)
        {
            var node = net.AddNode();
            var a = net.Nodes[net.Rng.Next(i)];
            var b = net.Nodes[net.Rng.Next(i)];
            net.Join(node, a == b ? [a] : [a, b]);
            // Joins are spread over time as real agents start one after another.
            net.RunFor(TimeSpan.FromMilliseconds(20));
        }
        return net;
    }

    /// <summary>Starts and runs until converged, failing with a description if it does not.</summary>
    public static SimNetwork StartConverged(int seed, int n, TimeSpan limit, Func<Consul.Core.Gossip.Serf.SerfConfig, Consul.Core.Gossip.Serf.SerfConfig>? configure = null)
    {
        var net = Start(seed, n, configure);
        var at = net.RunUntil(net.Converged, limit);
        if (at == null) throw new Xunit.Sdk.XunitException($"no convergence within {limit.TotalSeconds}s: {net.Describe()}");
        return net;
    }
}

/// <summary>Checked after every step of every node in the scenario tests.</summary>
internal static class Invariants
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Consul.Core.Gossip.Serf.SerfCore, long[]> Last = new();

    public static void Check(SimNode node)
    {
        var core = node.Core;
        // A running node never believes itself failed or left.
        if (core.State == Consul.Core.Gossip.Serf.SerfState.Alive &&
            core.GetMember(core.Name) is { Status: not Consul.Core.Gossip.Serf.MemberStatus.Alive } self)
            throw new Xunit.Sdk.XunitException($"{core.Name} sees itself as {self.Status}");
        // Incarnation and Lamport clocks only move forward.
        var now = new[] { (long)core.Swim.Incarnation, (long)core.Clock.Time, (long)core.EventClock.Time };
        if (Last.TryGetValue(core, out var prev))
        {
            for (var i = 0; i < now.Length; i++)
                if (now[i] < prev[i]) throw new Xunit.Sdk.XunitException($"{core.Name}: counter {i} went back from {prev[i]} to {now[i]}");
            Array.Copy(now, prev, now.Length);
        }
        else Last.Add(core, now);
    }
}
