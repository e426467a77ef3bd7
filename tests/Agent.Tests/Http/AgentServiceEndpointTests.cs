using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class AgentServiceEndpointTests
{
    /// <summary>The body of Consul's "register a service" tutorial (check pointed at a closed loopback port).</summary>
    public const string TutorialService = """
        {
          "ID": "web",
          "Name": "web",
          "Tags": ["rails"],
          "Address": "127.0.0.1",
          "Port": 80,
          "EnableTagOverride": false,
          "Check": {
            "DeregisterCriticalServiceAfter": "90m",
            "HTTP": "http://127.0.0.1:1/health",
            "Interval": "10s"
          },
          "Weights": {"Passing": 10, "Warning": 1}
        }
        """;

    [Fact(Timeout = 20000)]
    public async Task Register_tutorial_service_shows_in_agent_services()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/agent/service/register", TutorialService);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("", await r.Content.ReadAsStringAsync());

        var services = (await h.GetJson("/v1/agent/services"))!.AsObject();
        Assert.Equal(["web"], services.Select(p => p.Key).ToArray());
        var web = services["web"]!;
        Assert.Equal(["ID", "Service", "Tags", "Meta", "Port", "Address", "TaggedAddresses", "Weights", "EnableTagOverride", "Datacenter"], Keys(web));
        Assert.Equal("web", (string?)web["Service"]);
        Assert.Equal(["rails"], web["Tags"]!.AsArray().Select(t => (string)t!).ToArray());
        Assert.Equal(80, (int)web["Port"]!);
        Assert.Equal(10, (int)web["Weights"]!["Passing"]!);
        Assert.Equal(1, (int)web["Weights"]!["Warning"]!);
        Assert.False((bool)web["EnableTagOverride"]!);
        Assert.Equal("dc1", (string?)web["Datacenter"]);
        // Tagged addresses default from the IPv4 service address.
        var tagged = web["TaggedAddresses"]!.AsObject();
        Assert.Equal(["lan_ipv4", "wan_ipv4"], tagged.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToArray());
        Assert.Equal("127.0.0.1", (string?)tagged["lan_ipv4"]!["Address"]);
        Assert.Equal(80, (int)tagged["lan_ipv4"]!["Port"]!);

        var checks = (await h.GetJson("/v1/agent/checks"))!.AsObject();
        var check = checks["service:web"]!;
        Assert.Equal("Service 'web' check", (string?)check["Name"]);
        Assert.Equal("http", (string?)check["Type"]);
        Assert.Equal("web", (string?)check["ServiceID"]);
        Assert.Equal("web", (string?)check["ServiceName"]);
        Assert.Equal("10s", (string?)check["Interval"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Register_without_name_is_400()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/agent/service/register", """{"ID":"x","Port":1}"""), 400, "Missing service name");
    }

    [Fact(Timeout = 20000)]
    public async Task Register_with_invalid_check_is_400()
    {
        await using var h = await StartAsync();
        var noInterval = await h.Put("/v1/agent/service/register", """{"Name":"x","Check":{"HTTP":"http://127.0.0.1:1/"}}""");
        await AssertError(noInterval, 400, "Invalid check: Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks");
        var badStatus = await h.Put("/v1/agent/service/register", """{"Name":"x","Check":{"TTL":"10s","Status":"green"}}""");
        await AssertError(badStatus, 400, "Status for checks must 'passing', 'warning', 'critical'");
        Assert.Empty((await h.GetJson("/v1/agent/services"))!.AsObject());
    }

    [Fact(Timeout = 20000)]
    public async Task Service_by_id_has_content_hash_and_404_when_unknown()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", TutorialService);
        var r = await h.Get("/v1/agent/service/web");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var s = (await Json(r))!;
        var hash = (string)s["ContentHash"]!;
        Assert.Matches("^[0-9a-f]{16}$", hash);
        Assert.Equal(hash, Header(r, "X-Consul-ContentHash"));
        Assert.Equal("web", (string?)s["ID"]);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/agent/service/ghost")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Service_hash_blocks_until_the_service_changes()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"Name":"api","Port":1}""");
        var hash = (string)(await h.GetJson("/v1/agent/service/api"))!["ContentHash"]!;

        var sw = Stopwatch.StartNew();
        var timedOut = await h.Get($"/v1/agent/service/api?hash={hash}&wait=300ms");
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(290));
        Assert.Equal(hash, (string)(await Json(timedOut))!["ContentHash"]!);

        var blocked = h.Get($"/v1/agent/service/api?hash={hash}&wait=10s");
        await h.PutOk("/v1/agent/service/register", """{"Name":"api","Port":2}""");
        var changed = (await Json(await blocked.WaitAsync(TimeSpan.FromSeconds(8))))!;
        Assert.Equal(2, (int)changed["Port"]!);
        Assert.NotEqual(hash, (string)changed["ContentHash"]!);
    }

    [Fact(Timeout = 20000)]
    public async Task Replace_existing_checks_drops_checks_not_in_the_new_definition()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"Name":"svc","Checks":[{"CheckID":"a","TTL":"30s"},{"CheckID":"b","TTL":"30s"}]}""");
        Assert.Equal(["a", "b"], CheckIds(await h.GetJson("/v1/agent/checks")));

        await h.PutOk("/v1/agent/service/register", """{"Name":"svc","Checks":[{"CheckID":"a","TTL":"30s"}]}""");
        Assert.Equal(["a", "b"], CheckIds(await h.GetJson("/v1/agent/checks")));

        await h.PutOk("/v1/agent/service/register?replace-existing-checks", """{"Name":"svc","Checks":[{"CheckID":"a","TTL":"30s"}]}""");
        Assert.Equal(["a"], CheckIds(await h.GetJson("/v1/agent/checks")));
    }

    private static string[] CheckIds(JsonNode? checks) =>
        checks!.AsObject().Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal).ToArray();

    [Fact(Timeout = 20000)]
    public async Task Deregister_removes_the_service_and_its_checks_and_unknown_is_404()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", TutorialService);
        Assert.Equal("", await h.PutOk("/v1/agent/service/deregister/web"));
        Assert.Empty((await h.GetJson("/v1/agent/services"))!.AsObject());
        Assert.Empty((await h.GetJson("/v1/agent/checks"))!.AsObject());
        var r = await h.Put("/v1/agent/service/deregister/web");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("Unknown service ID \"web\". Ensure that the service ID is passed, not the service name.", await r.Content.ReadAsStringAsync());
    }

    [Fact(Timeout = 20000)]
    public async Task Service_maintenance_adds_a_critical_check_that_reaches_health()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"Name":"db","Port":5432}""");
        await AssertError(await h.Put("/v1/agent/service/maintenance/db"), 400, "Missing value for enable");
        await AssertError(await h.Put("/v1/agent/service/maintenance/db?enable=maybe"), 400, "Invalid value for enable: \"maybe\"");
        Assert.Equal(HttpStatusCode.NotFound, (await h.Put("/v1/agent/service/maintenance/ghost?enable=true")).StatusCode);

        await h.PutOk("/v1/agent/service/maintenance/db?enable=true&reason=upgrading");
        var check = (await h.GetJson("/v1/agent/checks"))!["_service_maintenance:db"]!;
        Assert.Equal("critical", (string?)check["Status"]);
        Assert.Equal("upgrading", (string?)check["Notes"]);
        Assert.Equal("db", (string?)check["ServiceID"]);

        await WaitUntil(async () =>
        {
            var entry = (await h.GetJson("/v1/health/service/db"))!.AsArray().SingleOrDefault();
            return entry is not null && entry["Checks"]!.AsArray().Any(c => (string)c!["CheckID"]! == "_service_maintenance:db" && (string)c["Status"]! == "critical");
        }, TimeSpan.FromSeconds(10), "service maintenance check in health/service/db");
        Assert.Empty((await h.GetJson("/v1/health/service/db?passing"))!.AsArray());

        await h.PutOk("/v1/agent/service/maintenance/db?enable=false");
        Assert.False((await h.GetJson("/v1/agent/checks"))!.AsObject().ContainsKey("_service_maintenance:db"));
        await WaitUntil(async () => (await h.GetJson("/v1/health/service/db?passing"))!.AsArray().Count == 1,
            TimeSpan.FromSeconds(10), "db passing again after maintenance off");
    }

    [Fact(Timeout = 20000)]
    public async Task Node_maintenance_adds_a_critical_node_check()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/agent/maintenance"), 400, "Missing value for enable");
        await h.PutOk("/v1/agent/maintenance?enable=true");
        var check = (await h.GetJson("/v1/agent/checks"))!["_node_maintenance"]!;
        Assert.Equal("critical", (string?)check["Status"]);
        Assert.Equal("Maintenance mode is enabled for this node, but no reason was provided. This is a default message.", (string?)check["Notes"]);
        Assert.Equal("", (string?)check["ServiceID"]);

        await WaitUntil(async () => (await h.GetJson("/v1/health/state/critical"))!.AsArray()
                .Any(c => (string)c!["CheckID"]! == "_node_maintenance" && (string)c["Node"]! == NodeName),
            TimeSpan.FromSeconds(10), "node maintenance check in health/state/critical");
        // The node's services are unhealthy too.
        Assert.Empty((await h.GetJson("/v1/health/service/consul?passing"))!.AsArray());

        await h.PutOk("/v1/agent/maintenance?enable=false");
        await WaitUntil(async () => (await h.GetJson("/v1/health/state/critical"))!.AsArray().Count == 0,
            TimeSpan.FromSeconds(10), "node maintenance check removed from catalog");
    }

    [Fact(Timeout = 20000)]
    public async Task Local_health_by_id_and_name_maps_status_to_http_codes()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"ID":"w1","Name":"w","Check":{"CheckID":"w1ttl","TTL":"30s","Status":"passing"}}""");
        await h.PutOk("/v1/agent/service/register", """{"ID":"w2","Name":"w","Check":{"CheckID":"w2ttl","TTL":"30s","Status":"passing"}}""");

        var ok = await h.Get("/v1/agent/health/service/id/w1");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var info = (await Json(ok))!;
        Assert.Equal(["AggregatedStatus", "Service", "Checks"], Keys(info));
        Assert.Equal("passing", (string?)info["AggregatedStatus"]);
        Assert.Equal("w1", (string?)info["Service"]!["ID"]);
        var check = info["Checks"]!.AsArray().Single()!;
        Assert.Equal(
            ["Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags", "Type",
             "ExposedPort", "Definition", "CreateIndex", "ModifyIndex"],
            Keys(check));
        Assert.Equal("w1ttl", (string?)check["CheckID"]);
        Assert.Equal("passing", (string?)check["Status"]);
        Assert.Equal("0s", (string?)check["Definition"]!["Interval"]);
        Assert.Equal("Interval", Keys(check["Definition"])[0]);
        await AssertError(await h.Get("/v1/agent/health/service/id/w1?format=text"), 200, "passing");

        await h.PutOk("/v1/agent/check/warn/w1ttl");
        Assert.Equal(429, (int)(await h.Get("/v1/agent/health/service/id/w1")).StatusCode);
        await AssertError(await h.Get("/v1/agent/health/service/id/w1?format=text"), 429, "warning");
        await AssertError(await h.Get("/v1/agent/health/service/name/w?format=text"), 429, "warning");
        var accept = new HttpRequestMessage(HttpMethod.Get, "/v1/agent/health/service/id/w1");
        accept.Headers.Add("Accept", "text/plain");
        await AssertError(await h.Client.SendAsync(accept), 429, "warning");

        await h.PutOk("/v1/agent/check/fail/w2ttl");
        await AssertError(await h.Get("/v1/agent/health/service/id/w2?format=text"), 503, "critical");
        var byName = await h.Get("/v1/agent/health/service/name/w");
        Assert.Equal(503, (int)byName.StatusCode);
        Assert.Equal(2, (await Json(byName))!.AsArray().Count);

        await h.PutOk("/v1/agent/service/maintenance/w1?enable=true");
        await AssertError(await h.Get("/v1/agent/health/service/id/w1?format=text"), 503, "maintenance");

        await AssertError(await h.Get("/v1/agent/health/service/id/ghost?format=text"), 404, "ServiceId ghost not found");
        var ghost = await h.Get("/v1/agent/health/service/id/ghost");
        Assert.Equal(404, (int)ghost.StatusCode);
        Assert.Equal("critical", (string?)(await Json(ghost))!["AggregatedStatus"]);
        await AssertError(await h.Get("/v1/agent/health/service/name/ghost?format=text"), 404, "ServiceName ghost Not Found");
        var ghostName = await h.Get("/v1/agent/health/service/name/ghost");
        Assert.Equal(404, (int)ghostName.StatusCode);
        Assert.Equal("[]", (await ghostName.Content.ReadAsStringAsync()).Trim());
    }
}
