using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>The JSON a user of Consul's getting-started tutorial sees.</summary>
public sealed class TutorialFlowTests
{
    [Fact(Timeout = 20000)]
    public async Task Register_web_then_catalog_and_health_show_consuls_shapes()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", AgentServiceEndpointTests.TutorialService);

        await WaitUntil(async () => (await h.GetJson("/v1/catalog/service/web"))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(10), "web in the catalog");
        var web = (await h.GetJson("/v1/catalog/service/web"))!.AsArray().Single()!;
        Assert.Equal(h.Config.NodeId, (string?)web["ID"]);
        Assert.Equal(NodeName, (string?)web["Node"]);
        Assert.Equal("127.0.0.1", (string?)web["Address"]);
        Assert.Equal("dc1", (string?)web["Datacenter"]);
        Assert.Equal("127.0.0.1", (string?)web["TaggedAddresses"]!["lan"]);
        Assert.Equal("127.0.0.1", (string?)web["TaggedAddresses"]!["wan"]);
        Assert.Equal("", (string?)web["NodeMeta"]!["consul-network-segment"]);
        Assert.Equal("web", (string?)web["ServiceID"]);
        Assert.Equal("web", (string?)web["ServiceName"]);
        Assert.Equal(["rails"], web["ServiceTags"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.Equal("127.0.0.1", (string?)web["ServiceAddress"]);
        Assert.Equal("127.0.0.1", (string?)web["ServiceTaggedAddresses"]!["lan_ipv4"]!["Address"]);
        Assert.Equal(80, (int)web["ServiceTaggedAddresses"]!["wan_ipv4"]!["Port"]!);
        Assert.Equal(10, (int)web["ServiceWeights"]!["Passing"]!);
        Assert.Equal(80, (int)web["ServicePort"]!);
        Assert.False((bool)web["ServiceEnableTagOverride"]!);
        Assert.True((ulong)web["CreateIndex"]! > 0);

        var r = await h.Get("/v1/health/service/consul?pretty");
        var text = await r.Content.ReadAsStringAsync();
        Assert.StartsWith("[\n    {\n        \"Node\": {\n            \"ID\": ", text);
        Assert.EndsWith("]\n", text);
        var entry = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsArray().Single()!;
        Assert.Equal(["Node", "Service", "Checks"], Keys(entry));
        Assert.Equal(NodeName, (string?)entry["Node"]!["Node"]);
        var svc = entry["Service"]!;
        Assert.Equal(["ID", "Service", "Tags", "Address", "Meta", "Port", "Weights", "EnableTagOverride", "Proxy", "Connect", "PeerName", "CreateIndex", "ModifyIndex"], Keys(svc));
        Assert.Equal("""{"Mode":"","MeshGateway":{},"Expose":{}}""", svc["Proxy"]!.ToJsonString());
        Assert.Equal("consul", (string?)svc["ID"]);
        Assert.Equal("consul", (string?)svc["Service"]);
        Assert.Equal(8300, (int)svc["Port"]!);
        var check = entry["Checks"]!.AsArray().Single()!;
        Assert.Equal(0, (int)check["ExposedPort"]!);
        Assert.Equal("{}", check["Definition"]!.ToJsonString());
        Assert.Equal("serfHealth", (string?)check["CheckID"]);
        Assert.Equal("Serf Health Status", (string?)check["Name"]);
        Assert.Equal("passing", (string?)check["Status"]);
        Assert.Equal("Agent alive and reachable", (string?)check["Output"]);
        Assert.Equal("", (string?)check["ServiceID"]);
    }
}
