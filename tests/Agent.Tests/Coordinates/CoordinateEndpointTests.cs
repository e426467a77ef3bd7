using System.Net;
using System.Text.Json.Nodes;
using Consul.Agent.Config;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.State;
using Consul.Tests.Http;

namespace Consul.Tests.Coordinates;

/// <summary>/v1/coordinate/* and the ?near sort on catalog, health and prepared-query reads.</summary>
public class CoordinateEndpointTests
{
    private static string CoordJson(double ms) =>
        $$"""{"Vec":[{{ms / 1000.0}},0,0,0,0,0,0,0],"Error":0.1,"Adjustment":0,"Height":0.00001}""";

    private static Task<string> Update(AgentTestHost h, string node, double ms, string segment = "") =>
        h.PutOk("/v1/coordinate/update", $$$"""{"Node":"{{{node}}}","Segment":"{{{segment}}}","Coord":{{{CoordJson(ms)}}}}""");

    /// <summary>Nodes n1..n4 and src each running "web" with a passing check, at 45, 12, 31, 20 and 0 ms along one axis (no ties).</summary>
    private static async Task<AgentTestHost> WithNodesAsync()
    {
        var h = await AgentTestHost.StartAsync();
        var at = new Dictionary<string, double> { ["n1"] = 45, ["n2"] = 12, ["n3"] = 31, ["n4"] = 20, ["src"] = 0 };
        foreach (var (node, _) in at)
            await h.PutOk("/v1/catalog/register",
                $$$"""{"Node":"{{{node}}}","Address":"10.0.0.{{{node.Length}}}","Service":{"ID":"web","Service":"web"},"Check":{"CheckID":"c","Name":"c","Status":"passing","ServiceID":"web"}}""");
        foreach (var (node, ms) in at) await Update(h, node, ms);
        return h;
    }

    private static List<string> Nodes(JsonNode? body, Func<JsonNode, string> name) => body!.AsArray().Select(x => name(x!)).ToList();

    [Fact(Timeout = 30_000)]
    public async Task Update_ThenNodesAndNode_InConsulsShape()
    {
        await using var h = await WithNodesAsync();
        var r = await h.Get("/v1/coordinate/nodes");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var index = AgentTestHost.IndexOf(r);
        var entries = (await AgentTestHost.Json(r))!.AsArray();
        Assert.Equal(["n1", "n2", "n3", "n4", "src"], entries.Select(e => (string)e!["Node"]!).ToList());
        var n2 = entries[1]!;
        Assert.Equal("", (string)n2["Segment"]!);
        Assert.Equal(0.012, (double)n2["Coord"]!["Vec"]![0]!, 9);
        Assert.Equal(8, n2["Coord"]!["Vec"]!.AsArray().Count);
        Assert.Equal(0.1, (double)n2["Coord"]!["Error"]!);

        var one = await h.GetJson("/v1/coordinate/node/n3");
        Assert.Equal("n3", (string)Assert.Single(one!.AsArray())!["Node"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/coordinate/node/nobody")).StatusCode);
        Assert.Empty((await h.GetJson("/v1/coordinate/nodes?segment=alpha"))!.AsArray());
        Assert.Equal(5, (await h.GetJson("/v1/coordinate/nodes?segment="))!.AsArray().Count);

        // A blocking read returns once a coordinate changes.
        var blocked = h.Get($"/v1/coordinate/nodes?index={index}&wait=20s");
        await Update(h, "n1", 5);
        var changed = await blocked;
        Assert.True(AgentTestHost.IndexOf(changed) > index);
        var n1 = (await AgentTestHost.Json(changed))!.AsArray().First(e => (string)e!["Node"]! == "n1")!;
        Assert.Equal(0.005, (double)n1["Coord"]!["Vec"]![0]!, 9);
    }

    [Fact(Timeout = 30_000)]
    public async Task Update_RejectsBadInput()
    {
        await using var h = await AgentTestHost.StartAsync();
        await AgentTestHost.AssertErrorStartsWith(await h.Put("/v1/coordinate/update", "{"), 400, "Request decode failed");
        await AgentTestHost.AssertError(await h.Put("/v1/coordinate/update", """{"Node":"x"}"""), 400, "invalid coordinate");
        await AgentTestHost.AssertError(await h.Put("/v1/coordinate/update",
            """{"Node":"x","Coord":{"Vec":[0,0],"Error":1.5,"Adjustment":0,"Height":0.00001}}"""), 400, "incompatible coordinate");
        await AgentTestHost.AssertError(await h.Put("/v1/coordinate/update?dc=dc9",
            $$$"""{"Node":"x","Coord":{{{CoordJson(1)}}}}"""), 500, "No path to datacenter");
        // A node that is not in the catalog gets no coordinate (Consul does not store orphans).
        await Update(h, "ghost", 1);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/coordinate/node/ghost")).StatusCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task DisabledCoordinates_Answer401()
    {
        await using var h = await AgentTestHost.StartAsync(AgentTestHost.DefaultConfig() with { DisableCoordinates = true });
        foreach (var url in new[] { "/v1/coordinate/datacenters", "/v1/coordinate/nodes", "/v1/coordinate/node/x" })
            await AgentTestHost.AssertError(await h.Get(url), 401, "Coordinate support disabled");
        await AgentTestHost.AssertError(await h.Put("/v1/coordinate/update", "{}"), 401, "Coordinate support disabled");
    }

    [Fact(Timeout = 30_000)]
    public async Task Datacenters_ListsThisServerAtTheOrigin()
    {
        await using var h = await AgentTestHost.StartAsync();
        var dcs = (await h.GetJson("/v1/coordinate/datacenters"))!.AsArray();
        var dc = Assert.Single(dcs)!;
        Assert.Equal("dc1", (string)dc["Datacenter"]!);
        Assert.Equal("wan", (string)dc["AreaID"]!);
        var server = Assert.Single(dc["Coordinates"]!.AsArray())!;
        Assert.Equal(AgentTestHost.NodeName, (string)server["Node"]!);
        Assert.All(server["Coord"]!["Vec"]!.AsArray(), v => Assert.Equal(0.0, (double)v!));
    }

    [Fact(Timeout = 30_000)]
    public async Task Near_SortsCatalogAndHealthListings_ByEstimatedRtt()
    {
        await using var h = await WithNodesAsync();
        string[] byRtt = ["src", "n2", "n4", "n3", "n1"];
        Assert.Equal(byRtt, Nodes(await h.GetJson("/v1/catalog/service/web?near=src"), x => (string)x["Node"]!));
        Assert.Equal(byRtt, Nodes(await h.GetJson("/v1/health/service/web?near=src"), x => (string)x["Node"]!["Node"]!));
        Assert.Equal(byRtt, Nodes(await h.GetJson("/v1/health/checks/web?near=src"), x => (string)x["Node"]!));
        var nodes = Nodes(await h.GetJson("/v1/catalog/nodes?near=n1"), x => (string)x["Node"]!);
        Assert.Equal(["n1", "n3", "n4", "n2", "src"], nodes.Where(n => n != AgentTestHost.NodeName));
        var states = Nodes(await h.GetJson("/v1/health/state/passing?near=n3"), x => (string)x["Node"]!).Where(n => n != AgentTestHost.NodeName);
        Assert.Equal(["n3", "n4", "n1", "n2", "src"], states.Distinct());
        // Without ?near, or from a node without a coordinate, the usual order.
        Assert.Equal(["n1", "n2", "n3", "n4", "src"], Nodes(await h.GetJson("/v1/catalog/service/web"), x => (string)x["Node"]!));
        Assert.Equal(["n1", "n2", "n3", "n4", "src"], Nodes(await h.GetJson("/v1/catalog/service/web?near=nobody"), x => (string)x["Node"]!));
    }

    [Fact(Timeout = 30_000)]
    public async Task Near_Agent_IsThisAgentsNode()
    {
        await using var h = await WithNodesAsync();
        await Update(h, AgentTestHost.NodeName, 29);
        var nodes = Nodes(await h.GetJson("/v1/catalog/nodes?near=_agent"), x => (string)x["Node"]!);
        Assert.Equal([AgentTestHost.NodeName, "n3", "n4", "n1", "n2", "src"], nodes);
    }

    [Fact(Timeout = 30_000)]
    public async Task PreparedQuery_NearSortsResults_AndPutsTheSourceFirst()
    {
        await using var h = await WithNodesAsync();
        var id = (string)JsonNode.Parse(await h.Send(HttpMethod.Post, "/v1/query", """{"Name":"webq","Service":{"Service":"web","Near":"n4"}}""")
            .ContinueWith(t => t.Result.Content.ReadAsStringAsync()).Unwrap())!["ID"]!;
        for (var i = 0; i < 5; i++)
        {
            // The query's own Near, then ?near overriding it; shuffling never beats distance.
            Assert.Equal(["n4", "n2", "n3", "src", "n1"], Nodes((await h.GetJson($"/v1/query/{id}/execute"))!["Nodes"], x => (string)x["Node"]!["Node"]!));
            Assert.Equal(["src", "n2", "n4", "n3", "n1"], Nodes((await h.GetJson($"/v1/query/{id}/execute?near=src"))!["Nodes"], x => (string)x["Node"]!["Node"]!));
        }
    }
}
