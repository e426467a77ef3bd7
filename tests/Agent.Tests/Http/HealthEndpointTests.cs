using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class HealthEndpointTests(HealthEndpointTests.Catalog shared) : IClassFixture<HealthEndpointTests.Catalog>
{
    /// <summary>Three api instances on three nodes with mixed check states, shared by these read-only tests.</summary>
    public sealed class Catalog : IAsyncLifetime
    {
        public AgentTestHost Host { get; private set; } = null!;
        public async Task InitializeAsync() => Host = await WithCatalog();
        public Task DisposeAsync() => Host.DisposeAsync().AsTask();
    }

    private static async Task<AgentTestHost> WithCatalog()
    {
        var h = await StartAsync();
        await h.PutOk("/v1/catalog/register", """
            {"Node":"n1","Address":"127.0.0.11","NodeMeta":{"rack":"r1"},
             "Service":{"ID":"api1","Service":"api","Tags":["blue"],"Port":80},
             "Checks":[{"CheckID":"node-ok","Name":"node ok","Status":"passing"},
                       {"CheckID":"api1-ok","Name":"api1 ok","Status":"passing","ServiceID":"api1"}]}
            """);
        await h.PutOk("/v1/catalog/register", """
            {"Node":"n2","Address":"127.0.0.12",
             "Service":{"ID":"api2","Service":"api","Tags":["green"],"Port":80},
             "Checks":[{"CheckID":"node-warn","Name":"node warn","Status":"warning"},
                       {"CheckID":"api2-ok","Name":"api2 ok","Status":"passing","ServiceID":"api2"}]}
            """);
        await h.PutOk("/v1/catalog/register", """
            {"Node":"n3","Address":"127.0.0.13",
             "Service":{"ID":"api3","Service":"api","Port":80},
             "Check":{"CheckID":"api3-bad","Name":"api3 bad","Status":"critical","ServiceID":"api3"}}
            """);
        return h;
    }

    private static string[] Field(JsonNode? list, string name) => list!.AsArray().Select(x => (string)x![name]!).ToArray();

    [Fact(Timeout = 20000)]
    public async Task Node_checks_lists_the_nodes_checks()
    {
        var h = shared.Host;
        var checks = (await h.GetJson("/v1/health/node/n1"))!.AsArray();
        Assert.Equal(["api1-ok", "node-ok"], Field(checks, "CheckID").OrderBy(x => x, StringComparer.Ordinal).ToArray());
        var c = checks.First(x => (string)x!["CheckID"]! == "api1-ok")!;
        Assert.Equal("n1", (string?)c["Node"]);
        Assert.Equal("api", (string?)c["ServiceName"]);
        Assert.Equal(["blue"], c["ServiceTags"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.Equal(
            ["Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags", "Type",
             "Interval", "Timeout", "ExposedPort", "Definition", "CreateIndex", "ModifyIndex"],
            Keys(c));
        Assert.Equal("[]", (await (await h.Get("/v1/health/node/ghost")).Content.ReadAsStringAsync()).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task Service_checks_lists_only_the_services_own_checks()
    {
        var h = shared.Host;
        var checks = (await h.GetJson("/v1/health/checks/api"))!;
        Assert.Equal(["api1-ok", "api2-ok", "api3-bad"], Field(checks, "CheckID").OrderBy(x => x, StringComparer.Ordinal).ToArray());
        var meta = (await h.GetJson("/v1/health/checks/api?node-meta=rack:r1"))!;
        Assert.Equal(["api1-ok"], Field(meta, "CheckID"));
    }

    [Fact(Timeout = 20000)]
    public async Task Service_nodes_include_node_and_service_checks()
    {
        var h = shared.Host;
        var list = (await h.GetJson("/v1/health/service/api"))!.AsArray();
        Assert.Equal(3, list.Count);
        var first = list[0]!;
        Assert.Equal(["Node", "Service", "Checks"], Keys(first));
        Assert.Equal("n1", (string?)first["Node"]!["Node"]);
        Assert.Equal("api1", (string?)first["Service"]!["ID"]);
        Assert.Equal(["api1-ok", "node-ok"], Field(first["Checks"], "CheckID").OrderBy(x => x, StringComparer.Ordinal).ToArray());
        // Other nodes' checks are not mixed in.
        var n2 = list.Single(x => (string)x!["Node"]!["Node"]! == "n2")!;
        Assert.Equal(["api2-ok", "node-warn"], Field(n2["Checks"], "CheckID").OrderBy(x => x, StringComparer.Ordinal).ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Service_nodes_passing_filters_out_any_non_passing_check()
    {
        var h = shared.Host;
        var passing = (await h.GetJson("/v1/health/service/api?passing"))!.AsArray();
        Assert.Equal(["api1"], passing.Select(x => (string)x!["Service"]!["ID"]!).ToArray());
        Assert.Single((await h.GetJson("/v1/health/service/api?passing=true"))!.AsArray());
        Assert.Single((await h.GetJson("/v1/health/service/api?passing=1"))!.AsArray());
        Assert.Equal(3, (await h.GetJson("/v1/health/service/api?passing=false"))!.AsArray().Count);
        await AssertError(await h.Get("/v1/health/service/api?passing=maybe"), 400, "Invalid value for ?passing");
    }

    [Fact(Timeout = 20000)]
    public async Task Service_nodes_filter_by_tag_and_node_meta()
    {
        var h = shared.Host;
        Assert.Equal(["api2"], (await h.GetJson("/v1/health/service/api?tag=green"))!.AsArray().Select(x => (string)x!["Service"]!["ID"]!).ToArray());
        Assert.Empty((await h.GetJson("/v1/health/service/api?tag=green&tag=blue"))!.AsArray());
        Assert.Equal(["api1"], (await h.GetJson("/v1/health/service/api?node-meta=rack:r1"))!.AsArray().Select(x => (string)x!["Service"]!["ID"]!).ToArray());
        Assert.Equal("[]", (await (await h.Get("/v1/health/service/none")).Content.ReadAsStringAsync()).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task State_filters_checks_by_status()
    {
        var h = shared.Host;
        var passing = Field(await h.GetJson("/v1/health/state/passing"), "CheckID");
        Assert.Contains("serfHealth", passing);
        Assert.Contains("api1-ok", passing);
        Assert.DoesNotContain("node-warn", passing);
        Assert.Equal(["node-warn"], Field(await h.GetJson("/v1/health/state/warning"), "CheckID"));
        Assert.Equal(["api3-bad"], Field(await h.GetJson("/v1/health/state/critical"), "CheckID"));
        var any = Field(await h.GetJson("/v1/health/state/any"), "CheckID");
        Assert.Equal(6, any.Length);
        Assert.Equal(["node-ok"], Field(await h.GetJson("/v1/health/state/passing?node-meta=rack:r1"), "CheckID").Where(c => c == "node-ok").ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Invalid_state_is_400()
    {
        var h = shared.Host;
        var r = await h.Get("/v1/health/state/bogus");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.NotEmpty(await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Get("/v1/health/state/")).StatusCode);
    }
}
