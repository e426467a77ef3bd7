using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>What the agent API registers reaches the catalog and health endpoints.</summary>
public sealed class AntiEntropyHttpTests
{
    [Fact(Timeout = 20000)]
    public async Task Agent_service_appears_in_catalog_and_health()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"ID":"pay1","Name":"payments","Tags":["v3"],"Port":9000,"Check":{"CheckID":"pay1-ttl","TTL":"30s"}}""");

        await WaitUntil(async () => (await h.GetJson("/v1/catalog/service/payments"))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(10), "payments in catalog");
        var s = (await h.GetJson("/v1/catalog/service/payments"))!.AsArray().Single()!;
        Assert.Equal(NodeName, (string?)s["Node"]);
        Assert.Equal("pay1", (string?)s["ServiceID"]);
        Assert.Equal(9000, (int)s["ServicePort"]!);

        await WaitUntil(async () =>
        {
            var e = (await h.GetJson("/v1/health/service/payments"))!.AsArray().SingleOrDefault();
            return e is not null && e["Checks"]!.AsArray().Any(c => (string)c!["CheckID"]! == "pay1-ttl");
        }, TimeSpan.FromSeconds(10), "payments check in health");
        var entry = (await h.GetJson("/v1/health/service/payments"))!.AsArray().Single()!;
        var checkIds = entry["Checks"]!.AsArray().Select(c => (string)c!["CheckID"]!).OrderBy(x => x, StringComparer.Ordinal).ToArray();
        Assert.Equal(["pay1-ttl", "serfHealth"], checkIds);
    }

    [Fact(Timeout = 20000)]
    public async Task Check_status_change_propagates_to_the_catalog()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"ID":"q1","Name":"queue","Check":{"CheckID":"q1-ttl","TTL":"30s"}}""");
        await WaitUntil(async () => (await h.GetJson("/v1/health/checks/queue"))!.AsArray()
                .Any(c => (string)c!["CheckID"]! == "q1-ttl" && (string)c["Status"]! == "critical"),
            TimeSpan.FromSeconds(10), "critical q1-ttl in catalog");
        Assert.Empty((await h.GetJson("/v1/health/service/queue?passing"))!.AsArray());

        await h.PutOk("/v1/agent/check/pass/q1-ttl?note=ok");
        await WaitUntil(async () => (await h.GetJson("/v1/health/service/queue?passing"))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(10), "queue passing in catalog");
        var check = (await h.GetJson("/v1/health/checks/queue"))!.AsArray().Single()!;
        Assert.Equal("passing", (string?)check["Status"]);
        Assert.Equal("ok", (string?)check["Output"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Agent_deregistration_removes_service_from_catalog()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"Name":"temp"}""");
        await WaitUntil(async () => (await h.GetJson("/v1/catalog/service/temp"))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(10), "temp in catalog");
        await h.PutOk("/v1/agent/service/deregister/temp");
        await WaitUntil(async () => (await h.GetJson("/v1/catalog/service/temp"))!.AsArray().Count == 0,
            TimeSpan.FromSeconds(10), "temp gone from catalog");
        Assert.False((await h.GetJson("/v1/catalog/services"))!.AsObject().ContainsKey("temp"));
    }
}
