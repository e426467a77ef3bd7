using Consul.Core.Cluster;
using Consul.Core.Model;
using Consul.Core.Queries;
using Consul.Core.State;

namespace Consul.Tests.PreparedQueries;

/// <summary>Consul's queryFailover order and loop, without any datacenter behind them.</summary>
public sealed class PreparedQueryFailoverOrderTests
{
    private static readonly string[] ByDistance = ["dc1", "dc3", "dc2", "dc4"];

    [Fact]
    public void NearestN_first_then_the_listed_ones_each_once_unknown_skipped()
    {
        var f = new QueryFailover
        {
            NearestN = 2,
            Datacenters = ["dc4", "dc3", "nowhere"],
            Targets = [new QueryFailoverTarget { Datacenter = "dc2" }, new QueryFailoverTarget { Peer = "p1" }],
        };
        Assert.Equal(["dc3", "dc2", "dc4"], PreparedQueryFailover.Datacenters(f, "dc1", ByDistance));
        Assert.Equal(["dc4", "dc3"], PreparedQueryFailover.Datacenters(f with { NearestN = 0, Targets = null }, "dc1", ByDistance));
        Assert.False(PreparedQueryFailover.Configured(new QueryFailover { Targets = [new QueryFailoverTarget { Peer = "p1" }] }));
        Assert.True(PreparedQueryFailover.Configured(new QueryFailover { NearestN = 1 }));
    }

    [Fact]
    public void Datacenters_order_by_median_round_trip_then_name()
    {
        var rtts = new Dictionary<string, List<double>>
        {
            ["dc1"] = [0], ["b"] = [0.030, 0.010, 0.020], ["a"] = [0.020], ["c"] = [double.PositiveInfinity], ["d"] = [0.5, 0.001],
        };
        // Medians: b 0.020 and a 0.020 tie (by name), d's median of two is its upper one (0.5).
        Assert.Equal(["dc1", "a", "b", "d", "c"], DatacenterDistance.Order(rtts));
    }

    [Fact]
    public async Task Tries_until_a_datacenter_has_instances_counting_each_try()
    {
        var query = new PreparedQuery { Service = new ServiceQuery { Service = "db", OnlyPassing = true } };
        var node = new Node { Name = "n2", Address = "10.2.0.2" };
        var healthy = new ServiceInstance(node, new NodeService { ID = "db", Service = "db" }, []);
        var warning = healthy with { Checks = [new HealthCheck { CheckID = "c", Status = HealthStatus.Warning }] };
        var asked = new List<string>();
        var local = new QueryExecution("db", [], new QueryDns(), "dc1", 0);
        var result = await PreparedQueryFailover.RunAsync(local, query, ["dc2", "dc3", "dc4", "dc5"], (dc, _) =>
        {
            asked.Add(dc);
            return Task.FromResult<IReadOnlyList<ServiceInstance>?>(dc switch
            {
                "dc2" => null,          // unreachable: skipped
                "dc3" => [warning],     // OnlyPassing filters it out here
                _ => [healthy],
            });
        }, new Random(1), limit: 0, CancellationToken.None);
        Assert.Equal(["dc2", "dc3", "dc4"], asked);
        Assert.Equal(("dc4", 3), (result.Datacenter, result.Failovers));
        Assert.Equal("n2", Assert.Single(result.Nodes).Node.Name);
    }
}
