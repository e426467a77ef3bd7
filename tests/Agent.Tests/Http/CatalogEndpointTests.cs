using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class CatalogEndpointTests(CatalogEndpointTests.TwoWebNodes shared) : IClassFixture<CatalogEndpointTests.TwoWebNodes>
{
    /// <summary>The two web nodes, shared by the tests that only read them.</summary>
    public sealed class TwoWebNodes : IAsyncLifetime
    {
        public AgentTestHost Host { get; private set; } = null!;
        public async Task InitializeAsync() => Host = await WithTwoWebNodes();
        public Task DisposeAsync() => Host.DisposeAsync().AsTask();
    }

    private const string Web1 = """
        {"Node":"n1","Address":"127.0.0.11","NodeMeta":{"rack":"r1"},
         "Service":{"ID":"web1","Service":"web","Tags":["v1","primary"],"Port":80,"Address":"127.0.0.21"},
         "Check":{"CheckID":"web1-up","Name":"web1 up","Status":"passing","ServiceID":"web1"}}
        """;
    private const string Web2 = """
        {"Node":"n2","Address":"127.0.0.12","NodeMeta":{"rack":"r2"},
         "Service":{"ID":"web2","Service":"web","Tags":["v2"],"Port":8080},
         "Checks":[{"CheckID":"mem","Name":"memory","Status":"warning"},
                   {"CheckID":"web2-up","Name":"web2 up","Status":"critical","ServiceID":"web2"}]}
        """;

    private static async Task<AgentTestHost> WithTwoWebNodes()
    {
        var h = await StartAsync();
        Assert.Equal("true", await h.PutOk("/v1/catalog/register", Web1));
        Assert.Equal("true", await h.PutOk("/v1/catalog/register", Web2));
        return h;
    }

    [Fact(Timeout = 20000)]
    public async Task Register_requires_node_and_address()
    {
        var h = shared.Host;
        await AssertError(await h.Put("/v1/catalog/register", """{"Address":"127.0.0.9"}"""), 400, "Must provide node");
        await AssertError(await h.Put("/v1/catalog/register", """{"Node":"x"}"""), 400, "Must provide address");
    }

    [Fact(Timeout = 20000)]
    public async Task Datacenters_lists_the_local_one()
    {
        var h = shared.Host;
        var dcs = (await h.GetJson("/v1/catalog/datacenters"))!.AsArray();
        Assert.Equal(["dc1"], dcs.Select(d => (string)d!).ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_lists_registered_nodes_and_filters_by_node_meta()
    {
        var h = shared.Host;
        var nodes = (await h.GetJson("/v1/catalog/nodes"))!.AsArray();
        Assert.Equal(["n1", "n2", NodeName], nodes.Select(n => (string)n!["Node"]!).ToArray());
        var n1 = nodes[0]!;
        Assert.Equal(["ID", "Node", "Address", "Datacenter", "TaggedAddresses", "Meta", "CreateIndex", "ModifyIndex"], Keys(n1));
        Assert.Equal("127.0.0.11", (string?)n1["Address"]);
        Assert.Equal("dc1", (string?)n1["Datacenter"]);

        var r1 = (await h.GetJson("/v1/catalog/nodes?node-meta=rack:r1"))!.AsArray();
        Assert.Equal(["n1"], r1.Select(n => (string)n!["Node"]!).ToArray());
        Assert.Empty((await h.GetJson("/v1/catalog/nodes?node-meta=rack:r9"))!.AsArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Services_maps_names_to_the_union_of_tags()
    {
        var h = shared.Host;
        var services = (await h.GetJson("/v1/catalog/services"))!.AsObject();
        Assert.Equal(["consul", "web"], services.Select(p => p.Key).ToArray());
        Assert.Empty(services["consul"]!.AsArray());
        Assert.Equal(["primary", "v1", "v2"], services["web"]!.AsArray().Select(t => (string)t!).OrderBy(t => t, StringComparer.Ordinal).ToArray());

        var r2 = (await h.GetJson("/v1/catalog/services?node-meta=rack:r2"))!.AsObject();
        Assert.Equal(["web"], r2.Select(p => p.Key).ToArray());
        Assert.Equal(["v2"], r2["web"]!.AsArray().Select(t => (string)t!).ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Service_lists_instances_as_service_nodes_in_consuls_field_order()
    {
        var h = shared.Host;
        var list = (await h.GetJson("/v1/catalog/service/web"))!.AsArray();
        Assert.Equal(2, list.Count);
        var s = list[0]!;
        Assert.Equal(
            ["ID", "Node", "Address", "Datacenter", "TaggedAddresses", "NodeMeta", "ServiceKind", "ServiceID", "ServiceName",
             "ServiceTags", "ServiceAddress", "ServiceWeights", "ServiceMeta", "ServicePort", "ServiceSocketPath",
             "ServiceEnableTagOverride", "ServiceProxy", "ServiceConnect", "ServiceLocality", "CreateIndex", "ModifyIndex"],
            Keys(s));
        Assert.Equal("n1", (string?)s["Node"]);
        Assert.Equal("127.0.0.11", (string?)s["Address"]);
        Assert.Equal("web1", (string?)s["ServiceID"]);
        Assert.Equal("web", (string?)s["ServiceName"]);
        Assert.Equal("127.0.0.21", (string?)s["ServiceAddress"]);
        Assert.Equal(80, (int)s["ServicePort"]!);
        Assert.Equal("r1", (string?)s["NodeMeta"]!["rack"]);
        Assert.Equal(1, (int)s["ServiceWeights"]!["Passing"]!);
        Assert.Equal(1, (int)s["ServiceWeights"]!["Warning"]!);
        Assert.Equal("", (string?)s["ServiceKind"]);
        Assert.Equal("""{"Mode":"","MeshGateway":{},"Expose":{}}""", s["ServiceProxy"]!.ToJsonString());
        Assert.Equal("{}", s["ServiceConnect"]!.ToJsonString());
        Assert.Null(s["ServiceLocality"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Service_filters_by_every_tag_and_node_meta()
    {
        var h = shared.Host;
        Assert.Equal(["web1"], Ids(await h.GetJson("/v1/catalog/service/web?tag=v1")));
        Assert.Equal(["web1"], Ids(await h.GetJson("/v1/catalog/service/web?tag=v1&tag=primary")));
        Assert.Empty(Ids(await h.GetJson("/v1/catalog/service/web?tag=v1&tag=v2")));
        Assert.Equal(["web2"], Ids(await h.GetJson("/v1/catalog/service/web?node-meta=rack:r2")));
        var none = await h.Get("/v1/catalog/service/nothing");
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        Assert.Equal("[]", (await none.Content.ReadAsStringAsync()).Trim());
    }

    private static string[] Ids(JsonNode? list) => list!.AsArray().Select(s => (string)s!["ServiceID"]!).ToArray();

    [Fact(Timeout = 20000)]
    public async Task Node_returns_node_and_services_by_id_or_null()
    {
        var h = shared.Host;
        var n = (await h.GetJson("/v1/catalog/node/n1"))!;
        Assert.Equal(["Node", "Services"], Keys(n));
        Assert.Equal("n1", (string?)n["Node"]!["Node"]);
        var svc = n["Services"]!["web1"]!;
        Assert.Equal(["ID", "Service", "Tags", "Address", "Meta", "Port", "Weights", "EnableTagOverride", "Proxy", "Connect", "PeerName", "CreateIndex", "ModifyIndex"], Keys(svc));
        Assert.Equal("web", (string?)svc["Service"]);
        Assert.Equal(80, (int)svc["Port"]!);

        var unknown = await h.Get("/v1/catalog/node/ghost");
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal("null", (await unknown.Content.ReadAsStringAsync()).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task Node_services_returns_a_list()
    {
        var h = shared.Host;
        var n = (await h.GetJson("/v1/catalog/node-services/n2"))!;
        Assert.Equal(["Node", "Services"], Keys(n));
        Assert.Equal("n2", (string?)n["Node"]!["Node"]);
        Assert.Equal(["web2"], n["Services"]!.AsArray().Select(s => (string)s!["ID"]!).ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Deregister_check_service_and_node()
    {
        await using var h = await WithTwoWebNodes();
        Assert.Equal("true", await h.PutOk("/v1/catalog/deregister", """{"Node":"n2","CheckID":"mem"}"""));
        var checks = (await h.GetJson("/v1/health/node/n2"))!.AsArray();
        Assert.Equal(["web2-up"], checks.Select(c => (string)c!["CheckID"]!).ToArray());

        Assert.Equal("true", await h.PutOk("/v1/catalog/deregister", """{"Node":"n2","ServiceID":"web2"}"""));
        Assert.Equal(["web1"], Ids(await h.GetJson("/v1/catalog/service/web")));
        // The service's checks go with it.
        Assert.Empty((await h.GetJson("/v1/health/node/n2"))!.AsArray());

        Assert.Equal("true", await h.PutOk("/v1/catalog/deregister", """{"Node":"n1"}"""));
        Assert.Empty((await h.GetJson("/v1/catalog/service/web"))!.AsArray());
        Assert.Equal("null", (await (await h.Get("/v1/catalog/node/n1")).Content.ReadAsStringAsync()).Trim());
        await AssertError(await h.Put("/v1/catalog/deregister", """{"ServiceID":"x"}"""), 400, "Must provide node");
    }

    [Fact(Timeout = 20000)]
    public async Task Reregistering_keeps_create_index_and_bumps_modify_index()
    {
        await using var h = await WithTwoWebNodes();
        var before = (await h.GetJson("/v1/catalog/service/web?tag=v1"))!.AsArray().Single()!;
        await h.PutOk("/v1/catalog/register", Web1.Replace("\"Port\":80", "\"Port\":81"));
        var after = (await h.GetJson("/v1/catalog/service/web?tag=v1"))!.AsArray().Single()!;
        Assert.Equal((ulong)before["CreateIndex"]!, (ulong)after["CreateIndex"]!);
        Assert.True((ulong)after["ModifyIndex"]! > (ulong)before["ModifyIndex"]!);
        Assert.Equal(81, (int)after["ServicePort"]!);
    }
}
