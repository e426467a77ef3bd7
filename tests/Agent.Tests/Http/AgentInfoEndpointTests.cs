using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class AgentInfoEndpointTests(SharedAgentHost shared) : IClassFixture<SharedAgentHost>
{
    [Fact(Timeout = 20000)]
    public async Task Self_has_config_member_and_stats()
    {
        var h = shared.Host;
        var self = (await h.GetJson("/v1/agent/self"))!;
        var keys = Keys(self);
        foreach (var k in new[] { "Config", "DebugConfig", "Coord", "Member", "Stats", "Meta" }) Assert.Contains(k, keys);
        var config = self["Config"]!;
        Assert.Equal("dc1", (string?)config["Datacenter"]);
        Assert.Equal(NodeName, (string?)config["NodeName"]);
        Assert.True((bool)config["Server"]!);
        Assert.False(string.IsNullOrEmpty((string?)config["Version"]));
        var member = self["Member"]!;
        Assert.Equal(NodeName, (string?)member["Name"]);
        Assert.Equal("consul", (string?)member["Tags"]!["role"]);
        Assert.Equal(1, (int)member["Status"]!);
        var stats = self["Stats"]!;
        foreach (var section in new[] { "agent", "build", "consul", "raft", "runtime", "serf_lan" })
            Assert.True(stats[section] is JsonObject, $"Stats.{section}");
        Assert.Equal("true", (string?)stats["consul"]!["leader"]);
        Assert.Equal("Leader", (string?)stats["raft"]!["state"]);
        Assert.Equal("1", (string?)stats["serf_lan"]!["members"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_lists_lan_and_wan_and_rejects_wan_with_segment()
    {
        var h = shared.Host;
        var lan = (await h.GetJson("/v1/agent/members"))!.AsArray();
        var me = lan.Single()!;
        Assert.Equal(NodeName, (string?)me["Name"]);
        foreach (var k in new[] { "Name", "Addr", "Port", "Tags", "Status", "ProtocolMin", "ProtocolMax", "ProtocolCur", "DelegateMin", "DelegateMax", "DelegateCur" })
            Assert.Contains(k, Keys(me));
        Assert.Equal(8301, (int)me["Port"]!);

        var wan = (await h.GetJson("/v1/agent/members?wan=1"))!.AsArray();
        Assert.Equal($"{NodeName}.dc1", (string?)wan.Single()!["Name"]);
        Assert.Single((await h.GetJson("/v1/agent/members?segment="))!.AsArray());
        Assert.Single((await h.GetJson("/v1/agent/members?segment=_all"))!.AsArray());
        Assert.Single((await h.GetJson("/v1/agent/members?wan=1&segment=_all"))!.AsArray());
        await AssertError(await h.Get("/v1/agent/members?wan=1&segment=alpha"), 400, "Cannot provide a segment with wan=true");
    }

    [Fact(Timeout = 20000)]
    public async Task Host_reports_platform_cpu_memory_and_disk()
    {
        var h = shared.Host;
        var host = (await h.GetJson("/v1/agent/host"))!;
        foreach (var k in new[] { "Memory", "CPU", "Host", "Disk", "CollectionTime", "Errors" }) Assert.Contains(k, Keys(host));
        Assert.True(host["Host"]!["hostname"] is not null);
    }

    [Fact(Timeout = 20000)]
    public async Task Version_has_human_version()
    {
        var h = shared.Host;
        var v = (await h.GetJson("/v1/agent/version"))!;
        Assert.Matches(@"^\d+\.\d+\.\d+", (string)v["HumanVersion"]!);
        Assert.Contains("SHA", Keys(v));
        Assert.Contains("BuildDate", Keys(v));
    }

    [Fact(Timeout = 20000)]
    public async Task Metrics_as_json_and_prometheus()
    {
        var h = shared.Host;
        var m = (await h.GetJson("/v1/agent/metrics"))!;
        Assert.Equal(["Timestamp", "Gauges", "Points", "Counters", "Samples"], Keys(m));
        Assert.True(m["Gauges"] is JsonArray);
        var prom = await h.Get("/v1/agent/metrics?format=prometheus");
        Assert.Equal(HttpStatusCode.OK, prom.StatusCode);
        Assert.StartsWith("text/plain", ContentType(prom)!.ToString());
        var text = await prom.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE ", text);
        Assert.Contains("consul_", text);
    }

    [Fact(Timeout = 20000)]
    public async Task Reload_is_200()
    {
        var h = shared.Host;
        var r = await h.Put("/v1/agent/reload");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("", await r.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 20000)]
    public async Task Status_leader_and_peers_are_the_server_rpc_address()
    {
        var h = shared.Host;
        var leader = (string?)(await h.GetJson("/v1/status/leader"));
        Assert.Equal("127.0.0.1:8300", leader);
        Assert.Equal(["127.0.0.1:8300"], (await h.GetJson("/v1/status/peers"))!.AsArray().Select(p => (string)p!).ToArray());
    }
}
