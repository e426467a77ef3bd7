namespace Consul.Tests.Gossip.Sim;

/// <summary>Common set-ups for simulation scenarios.</summary>
internal static class SimCluster
{
    /// <summary>Starts <paramref name="n"/> nodes; each joins one or two earlier nodes.</summary>
    public static SimNetwork Start(int seed, int n, Func<Consul.Core.Gossip.Serf.SerfConfig, Consul.Core.Gossip.Serf.SerfConfig>? configure = null)
    {
        var net = new SimNetwork(seed, configure);
        var first = net.AddNode();
        for (var i = 1; i < n; i++)
        {
            var node = net.AddNode();
            var a = net.Nodes[net.Rng.Next(i)];
            var b = net.Nodes[net.Rng.Next(i)];
            net.Join(node, a == b ? [a] : [a, b]);
            // Joins are spread over time as real agents start one after another.
            net.RunFor(TimeSpan.FromMilliseconds(20));
        }
        _ = first;
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
