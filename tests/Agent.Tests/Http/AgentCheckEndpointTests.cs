using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class AgentCheckEndpointTests
{
    private static async Task<JsonNode> Check(AgentTestHost h, string id) =>
        (await h.GetJson("/v1/agent/checks"))![id] ?? throw new Xunit.Sdk.XunitException($"no check {id}");

    [Fact(Timeout = 20000)]
    public async Task Register_ttl_check_starts_critical_and_lists_in_agent_checks()
    {
        await using var h = await StartAsync();
        Assert.Equal("", await h.PutOk("/v1/agent/check/register", """{"Name":"mem","TTL":"30s","Notes":"memory"}"""));
        var c = await Check(h, "mem");
        Assert.Equal(
            ["Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags", "Type",
             "Interval", "Timeout", "ExposedPort", "Definition", "CreateIndex", "ModifyIndex"],
            Keys(c));
        Assert.Equal(NodeName, (string?)c["Node"]);
        Assert.Equal("critical", (string?)c["Status"]);
        Assert.Equal("ttl", (string?)c["Type"]);
        Assert.Equal("memory", (string?)c["Notes"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Register_http_and_tcp_checks_with_ids()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"ID":"h1","Name":"http","HTTP":"http://127.0.0.1:1/","Interval":"10s","Timeout":"1s"}""");
        await h.PutOk("/v1/agent/check/register", """{"CheckID":"t1","Name":"tcp","TCP":"127.0.0.1:1","Interval":"10s"}""");
        var h1 = await Check(h, "h1");
        Assert.Equal("http", (string?)h1["Type"]);
        Assert.Equal("10s", (string?)h1["Interval"]);
        Assert.Equal("1s", (string?)h1["Timeout"]);
        Assert.Equal("tcp", (string?)(await Check(h, "t1"))["Type"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Register_check_validation_messages()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/agent/check/register", """{"TTL":"10s"}"""), 400, "Missing check name");
        await AssertError(await h.Put("/v1/agent/check/register", """{"Name":"x","TTL":"10s","Status":"up"}"""), 400, "Bad check status");
        await AssertError(await h.Put("/v1/agent/check/register", """{"Name":"x","HTTP":"http://127.0.0.1:1/"}"""), 400, "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks");
        await AssertError(await h.Put("/v1/agent/check/register", """{"Name":"x","TTL":"10s","Interval":"10s"}"""), 400, "Invalid check: Interval and TTL cannot both be specified");
        var unknownService = await h.Put("/v1/agent/check/register", """{"Name":"x","TTL":"10s","ServiceID":"ghost"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknownService.StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Register_check_for_a_service_carries_its_name()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"ID":"r1","Name":"redis","Tags":["cache"]}""");
        await h.PutOk("/v1/agent/check/register", """{"Name":"redis alive","TTL":"30s","ServiceID":"r1"}""");
        var c = await Check(h, "redis alive");
        Assert.Equal("r1", (string?)c["ServiceID"]);
        Assert.Equal("redis", (string?)c["ServiceName"]);
        Assert.Equal(["cache"], c["ServiceTags"]!.AsArray().Select(t => (string)t!).ToArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Pass_warn_fail_set_status_and_note()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"Name":"t","TTL":"30s"}""");
        await h.PutOk("/v1/agent/check/pass/t?note=all%20good");
        var c = await Check(h, "t");
        Assert.Equal("passing", (string?)c["Status"]);
        Assert.Equal("all good", (string?)c["Output"]);
        await h.PutOk("/v1/agent/check/warn/t?note=hmm");
        Assert.Equal("warning", (string?)(await Check(h, "t"))["Status"]);
        await h.PutOk("/v1/agent/check/fail/t");
        c = await Check(h, "t");
        Assert.Equal("critical", (string?)c["Status"]);
        Assert.Equal("", (string?)c["Output"]);
        await AssertError(await h.Put("/v1/agent/check/pass/ghost"), 404, "CheckID \"ghost\" does not have associated TTL");
    }

    [Fact(Timeout = 20000)]
    public async Task Update_sets_status_and_output_and_rejects_bad_status()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"Name":"u","TTL":"30s"}""");
        await h.PutOk("/v1/agent/check/update/u", """{"Status":"warning","Output":"disk 91%"}""");
        var c = await Check(h, "u");
        Assert.Equal("warning", (string?)c["Status"]);
        Assert.Equal("disk 91%", (string?)c["Output"]);
        await AssertError(await h.Put("/v1/agent/check/update/u", """{"Status":"meh"}"""), 400, "Invalid check status: 'meh'");
        await AssertErrorStartsWith(await h.Put("/v1/agent/check/update/u", "{"), 400, "Request decode failed: ");
    }

    [Fact(Timeout = 20000)]
    public async Task Non_ttl_checks_cannot_be_updated_by_hand()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"ID":"tcp","Name":"tcp","TCP":"127.0.0.1:1","Interval":"10s"}""");
        await AssertError(await h.Put("/v1/agent/check/pass/tcp"), 404, "CheckID \"tcp\" does not have associated TTL");
        await AssertError(await h.Put("/v1/agent/check/update/tcp", """{"Status":"passing"}"""), 404, "CheckID \"tcp\" does not have associated TTL");
    }

    [Fact(Timeout = 20000)]
    public async Task Deregister_check_and_unknown_is_404()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"Name":"gone","TTL":"30s"}""");
        await h.PutOk("/v1/agent/check/deregister/gone");
        Assert.False((await h.GetJson("/v1/agent/checks"))!.AsObject().ContainsKey("gone"));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Put("/v1/agent/check/deregister/gone")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Ttl_expiry_turns_the_check_critical()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"Name":"short","TTL":"300ms"}""");
        await h.PutOk("/v1/agent/check/pass/short");
        Assert.Equal("passing", (string?)(await Check(h, "short"))["Status"]);
        await WaitUntil(async () => (string?)(await Check(h, "short"))["Status"] == "critical",
            TimeSpan.FromSeconds(10), "TTL check to expire");
        Assert.Contains("TTL expired", (string?)(await Check(h, "short"))["Output"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Durations_may_be_nanoseconds_and_snake_case_aliases_are_accepted()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/check/register", """{"Name":"n","TTL":30000000000,"deregister_critical_service_after":"90m"}""");
        Assert.Equal("ttl", (string?)(await Check(h, "n"))["Type"]);
        await h.PutOk("/v1/agent/service/register", """{"Name":"s","Check":{"CheckID":"s-tcp","tcp":"127.0.0.1:1","interval":10000000000,"Timeout":1500000000}}""");
        var c = await Check(h, "s-tcp");
        Assert.Equal("tcp", (string?)c["Type"]);
        Assert.Equal("10s", (string?)c["Interval"]);
        Assert.Equal("1.5s", (string?)c["Timeout"]);
        await h.PutOk("/v1/agent/check/register", """{"Name":"m","TTL":"30s","service_id":"s"}""");
        Assert.Equal("s", (string?)(await Check(h, "m"))["ServiceID"]);
        await AssertErrorStartsWith(await h.Put("/v1/agent/check/register", """{"Name":"x","TTL":[1]}"""), 400, "Request decode failed: ");
        await AssertErrorStartsWith(await h.Put("/v1/agent/check/register", """{"Name":"x","TTL":1e300}"""), 400, "Request decode failed: ");
        // Duplicate keys: the last one wins, as in Go.
        await h.PutOk("/v1/agent/check/register", """{"Name":"first","Name":"last","TTL":"30s"}""");
        Assert.Equal("last", (string?)(await Check(h, "last"))["Name"]);
    }
}
