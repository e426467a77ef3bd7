using System.Diagnostics;
using System.Text.Json.Nodes;
using static Consul.Tests.Federation.TwoDatacenters;

namespace Consul.Tests.Federation;

/// <summary>
/// ?dc=dc2 asked of dc1's client agent: the request travels client → dc1 server → dc2 server
/// over the server RPC and dc2's answer comes back unchanged.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class CrossDatacenterHttpTests(TwoDatacenters dcs)
{
    [Fact(Timeout = 120_000)]
    public async Task Catalog_services_of_dc2_are_read_through_dc1s_client()
    {
        var remote = (await dcs.JsonAsync(Dc1Client, "/v1/catalog/services?dc=dc2")).AsObject();
        Assert.True(remote.ContainsKey("db"), remote.ToJsonString());
        Assert.True(remote.ContainsKey("web"));
        var local = (await dcs.JsonAsync(Dc1Client, "/v1/catalog/services")).AsObject();
        Assert.False(local.ContainsKey("db"), local.ToJsonString());
    }

    [Fact(Timeout = 120_000)]
    public async Task Health_service_in_dc2_returns_dc2s_body_and_index()
    {
        var before = await IndexAsync(Dc2Server, "/v1/health/service/web");
        var (status, body, resp) = await dcs.GetAsync(Dc1Client, "/v1/health/service/web?dc=dc2");
        var after = await IndexAsync(Dc2Server, "/v1/health/service/web");
        using (resp)
        {
            Assert.Equal(200, status);
            var entry = Assert.Single(JsonNode.Parse(body)!.AsArray());
            Assert.Equal("web-dc2-node", (string)entry!["Node"]!["Node"]!);
            Assert.Equal("dc2", (string)entry["Node"]!["Datacenter"]!);
            Assert.Equal(9090, (int)entry["Service"]!["Port"]!);
            Assert.StartsWith("application/json", resp.Content.Headers.ContentType!.ToString());
            Assert.Equal("true", resp.Headers.GetValues("X-Consul-KnownLeader").Single());
            // dc2's own index for this query (dc1's state is at a different index altogether).
            Assert.InRange(ulong.Parse(resp.Headers.GetValues("X-Consul-Index").Single()), before, after);
        }
    }

    private async Task<ulong> IndexAsync(string agent, string path)
    {
        var (_, _, resp) = await dcs.GetAsync(agent, path);
        using (resp) return ulong.Parse(resp.Headers.GetValues("X-Consul-Index").Single());
    }

    [Fact(Timeout = 120_000)]
    public async Task Blocking_query_on_dc2_returns_when_dc2_changes()
    {
        var (_, _, first) = await dcs.GetAsync(Dc1Client, "/v1/catalog/service/api?dc=dc2");
        ulong index;
        using (first) index = ulong.Parse(first.Headers.GetValues("X-Consul-Index").Single());

        var clock = Stopwatch.StartNew();
        var blocked = dcs.GetAsync(Dc1Client, $"/v1/catalog/service/api?dc=dc2&index={index}&wait=25s");
        // The query must still be waiting before dc2 changes.
        await Task.WhenAny(blocked, WaitForServerSide());
        Assert.False(blocked.IsCompleted, "blocking query returned before dc2 changed");
        await dcs.Register(Dc2Server, "api-dc2-node", "10.2.0.3", "api", 7000, wan: null);

        var (status, body, resp) = await blocked;
        using (resp)
        {
            Assert.Equal(200, status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
            Assert.True(ulong.Parse(resp.Headers.GetValues("X-Consul-Index").Single()) > index);
            Assert.Equal("api-dc2-node", (string)Assert.Single(JsonNode.Parse(body)!.AsArray())!["Node"]!);
        }
    }

    /// <summary>Gives the blocking request time to reach dc2 (a bounded pause, not a condition stand-in: nothing observable marks arrival).</summary>
    private static Task WaitForServerSide() => Task.Delay(TimeSpan.FromSeconds(2));

    [Fact(Timeout = 120_000)]
    public async Task Kv_write_with_dc2_lands_in_dc2_only()
    {
        Assert.Equal((200, "true"), await dcs.PutAsync(Dc1Client, "/v1/kv/fed/x?dc=dc2", "from-dc1"));
        var (status, body, resp) = await dcs.GetAsync(Dc2Server, "/v1/kv/fed/x?raw");
        resp.Dispose();
        Assert.Equal((200, "from-dc1"), (status, body));
        var (localStatus, _, local) = await dcs.GetAsync(Dc1Server, "/v1/kv/fed/x");
        local.Dispose();
        Assert.Equal(404, localStatus);
        // Read back through the forwarding path too.
        var (_, viaClient, r) = await dcs.GetAsync(Dc1Client, "/v1/kv/fed/x?dc=dc2&raw");
        r.Dispose();
        Assert.Equal("from-dc1", viaClient);
    }

    [Fact(Timeout = 120_000)]
    public async Task Catalog_register_naming_dc2_in_its_body_goes_to_dc2()
    {
        var body = """{"Datacenter":"dc2","Node":"body-dc-node","Address":"10.2.0.9","Service":{"Service":"bodysvc","Port":1}}""";
        Assert.Equal((200, "true"), await dcs.PutAsync(Dc1Client, "/v1/catalog/register", body));
        Assert.True((await dcs.JsonAsync(Dc2Server, "/v1/catalog/services")).AsObject().ContainsKey("bodysvc"));
        Assert.False((await dcs.JsonAsync(Dc1Server, "/v1/catalog/services")).AsObject().ContainsKey("bodysvc"));
    }

    [Theory(Timeout = 120_000)]
    [InlineData(Dc1Client)]
    [InlineData(Dc1Server)]
    public async Task Unknown_datacenter_is_consuls_500(string agent)
    {
        var (status, body, resp) = await dcs.GetAsync(agent, "/v1/catalog/services?dc=nowhere");
        resp.Dispose();
        Assert.Equal((500, "No path to datacenter"), (status, body));
    }

    [Theory(Timeout = 120_000)]
    [InlineData(Dc1Client)]
    [InlineData(Dc1Server)]
    [InlineData(Dc2Server)]
    public async Task Every_agent_lists_both_datacenters_its_own_first(string agent)
    {
        var list = (await dcs.JsonAsync(agent, "/v1/catalog/datacenters")).AsArray().Select(d => (string)d!).ToList();
        Assert.Equal(agent == Dc2Server ? ["dc2", "dc1"] : ["dc1", "dc2"], list);
    }

    [Fact(Timeout = 120_000)]
    public async Task Wan_coordinates_of_both_datacenters_reach_the_client_through_its_server()
    {
        // Consul's Coordinate.ListDatacenters: servers answer from the WAN pool, clients ask a server.
        // A datacenter is listed once its server has a WAN coordinate, which needs a first WAN probe
        // round trip, so wait for that rather than assume the fixture's start-up took long enough.
        foreach (var agent in new[] { Dc1Client, Dc2Server })
        {
            JsonArray maps = [];
            await dcs.WaitUntilAsync($"{agent} lists a WAN coordinate for both datacenters", async () =>
            {
                maps = (await dcs.JsonAsync(agent, "/v1/coordinate/datacenters")).AsArray();
                return maps.Count == 2;
            });
            Assert.Equal(["dc1", "dc2"], maps.Select(m => (string)m!["Datacenter"]!).ToList());
            Assert.All(maps, m => Assert.Equal("wan", (string)m!["AreaID"]!));
            Assert.All(maps, m => Assert.Single(m!["Coordinates"]!.AsArray()));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Agent_endpoints_stay_local_whatever_the_dc()
    {
        var self = await dcs.JsonAsync(Dc1Client, "/v1/agent/self?dc=dc2");
        Assert.Equal("dc1", (string)self["Config"]!["Datacenter"]!);
        Assert.Equal("client-dc1", (string)self["Config"]!["NodeName"]!);
    }
}
