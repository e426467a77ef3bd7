using System.Text.Json.Nodes;
using Consul.Tests.ClusterE2E;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Coordinates;

/// <summary>Real agents: coordinates flow from gossip into the catalog, and `consul rtt` reads them.</summary>
public class CoordinateProcessTests
{
    private const string FastSync = "sync_coordinate_interval_min = \"500ms\"";

    [Fact(Timeout = 90_000)]
    public async Task DevAgent_SyncsItsCoordinate_AndRttReadsIt()
    {
        // A lone agent sits at the origin: its distance to itself is the two heights, 2 x 10 µs.
        await using var agent = await AgentProcess.StartDevAsync("-node=coord-dev", "-hcl", FastSync);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Consul.Tests.Http.AgentTestHost.WaitUntil(async () =>
            (await http.GetAsync(agent.HttpAddr + "/v1/coordinate/node/coord-dev")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(30), "the dev agent's coordinate in the catalog");

        var rtt = await ConsulExe.RunAsync(["rtt", "-http-addr=" + agent.HttpAddr, "coord-dev"]);
        Assert.Equal(0, rtt.ExitCode);
        Assert.Matches(@"^Estimated coord-dev <-> coord-dev rtt: 0\.020 ms \(using LAN coordinates\)\n$", rtt.Stdout);
    }

    [Fact(Timeout = 120_000)]
    public async Task TwoServers_GossipRoundTripsMoveTheirCoordinates_AndNearSortsByThem()
    {
        await using var cluster = new LocalCluster();
        var sync = cluster.WriteConfig("sync.hcl", FastSync + "\n");
        cluster.StartServer("c1", "127.0.0.120", 2, "127.0.0.121", $"-config-file={sync}");
        cluster.StartServer("c2", "127.0.0.121", 2, "127.0.0.120", $"-config-file={sync}");

        // Probes between the two give Vivaldi samples, so coordinates leave the origin.
        JsonArray? entries = null;
        await cluster.WaitUntilAsync("both coordinates in the catalog, moved off the origin", TimeSpan.FromSeconds(60), async () =>
        {
            var (status, body) = await cluster.GetAsync("c1", "/v1/coordinate/nodes");
            if (status != 200) return false;
            entries = JsonNode.Parse(body)!.AsArray();
            return entries.Count == 2 && entries.All(e => e!["Coord"]!["Vec"]!.AsArray().Any(v => (double)v! != 0));
        });
        Assert.Equal(["c1", "c2"], entries!.Select(e => (string)e!["Node"]!).ToList());

        var (_, nodes) = await cluster.GetAsync("c2", "/v1/catalog/nodes?near=_agent");
        Assert.Equal("c2", (string)JsonNode.Parse(nodes)!.AsArray()[0]!["Node"]!);
        var rtt = await ConsulExe.RunAsync(["rtt", "-http-addr=" + cluster["c1"].HttpAddr, "c2"]);
        Assert.Equal(0, rtt.ExitCode);
        Assert.Matches(@"^Estimated c2 <-> c1 rtt: \d+\.\d{3} ms \(using LAN coordinates\)\n$", rtt.Stdout);
    }
}
