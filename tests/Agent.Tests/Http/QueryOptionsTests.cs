using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Config;
using Consul.Core.Local;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>Blocking queries, consistency modes, meta headers, ?dc, ?pretty and tokens.</summary>
public sealed class QueryOptionsTests(SharedAgentHost shared) : IClassFixture<SharedAgentHost>
{
    private static string ValueOf(JsonNode? list) =>
        Encoding.UTF8.GetString(Convert.FromBase64String((string)list!.AsArray().Single()!["Value"]!));

    [Fact(Timeout = 20000)]
    public async Task Blocking_get_returns_when_the_key_changes()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/watched", "v1");
        var index = IndexOf(await h.Get("/v1/kv/watched"));

        var blocked = h.Get($"/v1/kv/watched?index={index}&wait=10s");
        await WaitForBlockedKvRead(h);
        Assert.False(blocked.IsCompleted);
        await h.PutOk("/v1/kv/unrelated", "x");
        await h.PutOk("/v1/kv/watched", "v2");
        var r = await blocked.WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("v2", ValueOf(await Json(r)));
        Assert.True(IndexOf(r) > index);
    }

    // A write that lands before the read starts waiting is (rightly) seen at once, as in Consul:
    // order the writes after the server has begun to wait on the KV table.
    private static Task WaitForBlockedKvRead(AgentTestHost h) =>
        WaitUntil(() => Task.FromResult(h.Service<Consul.Core.State.StateStore>().IsWatched(Consul.Core.State.Tables.KV)),
            TimeSpan.FromSeconds(5), "the blocking read to start waiting");

    [Fact(Timeout = 20000)]
    public async Task Write_to_another_key_does_not_wake_a_single_key_get()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/watched", "v1");
        var index = IndexOf(await h.Get("/v1/kv/watched"));

        var sw = Stopwatch.StartNew();
        var blocked = h.Get($"/v1/kv/watched?index={index}&wait=1s");
        await WaitForBlockedKvRead(h);
        await h.PutOk("/v1/kv/unrelated", "x");
        var r = await blocked.WaitAsync(TimeSpan.FromSeconds(8));
        sw.Stop();
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        // Only the wait ending released it, with the unchanged entry.
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(950), $"returned after {sw.ElapsedMilliseconds} ms");
        Assert.Equal("v1", ValueOf(await Json(r)));
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_query_times_out_with_the_same_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/k", "v");
        var index = IndexOf(await h.Get("/v1/kv/k"));
        var sw = Stopwatch.StartNew();
        var r = await h.Get($"/v1/kv/k?index={index}&wait=300ms");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(index, IndexOf(r));
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(290), $"returned after {sw.ElapsedMilliseconds} ms");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_prefix_and_keys_wake_on_delete_under_the_prefix()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/pre/a", "1");
        await h.PutOk("/v1/kv/pre/b", "2");
        var index = IndexOf(await h.Get("/v1/kv/pre/?recurse"));
        var list = h.Get($"/v1/kv/pre/?recurse&index={index}&wait=10s");
        var keys = h.Get($"/v1/kv/pre/?keys&index={index}&wait=10s");
        await h.Delete("/v1/kv/pre/b");
        var lr = await list.WaitAsync(TimeSpan.FromSeconds(8));
        var kr = await keys.WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Single((await Json(lr))!.AsArray());
        Assert.Equal(["pre/a"], (await Json(kr))!.AsArray().Select(k => (string)k!).ToArray());
        Assert.True(IndexOf(lr) > index);
        Assert.Equal(IndexOf(lr), IndexOf(kr));
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_catalog_service_wakes_on_registration()
    {
        await using var h = await StartAsync();
        var first = await h.Get("/v1/catalog/service/api");
        var index = IndexOf(first);
        var blocked = h.Get($"/v1/catalog/service/api?index={index}&wait=10s");
        await h.PutOk("/v1/catalog/register", """{"Node":"n1","Address":"127.0.0.5","Service":{"Service":"api","Port":81}}""");
        var r = await blocked.WaitAsync(TimeSpan.FromSeconds(8));
        var list = (await Json(r))!.AsArray();
        Assert.Equal("n1", (string?)list.Single()!["Node"]);
        Assert.True(IndexOf(r) > index);
    }

    [Fact(Timeout = 20000)]
    public async Task Bad_index_and_wait_are_400()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Get("/v1/kv/k?index=abc"), 400, "Invalid index");
        await AssertError(await h.Get("/v1/kv/k?index=-1"), 400, "Invalid index");
        await AssertError(await h.Get("/v1/kv/k?wait=forever"), 400, "Invalid wait time");
        await AssertError(await h.Get("/v1/catalog/nodes?wait=10"), 400, "Invalid wait time");
        await AssertError(await h.Get("/v1/health/service/x?index=1.5"), 400, "Invalid index");
    }

    [Fact(Timeout = 20000)]
    public async Task Stale_with_consistent_is_400()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Get("/v1/catalog/nodes?stale&consistent"), 400,
            "Cannot specify ?stale with ?consistent, conflicting semantics.");
        await AssertError(await h.Get("/v1/kv/k?stale&consistent"), 400,
            "Cannot specify ?stale with ?consistent, conflicting semantics.");
    }

    [Theory(Timeout = 20000)]
    [InlineData("/v1/kv/k", "leader")]
    [InlineData("/v1/kv/k?stale", "stale")]
    [InlineData("/v1/kv/k?consistent", "consistent")]
    [InlineData("/v1/catalog/nodes", "leader")]
    [InlineData("/v1/catalog/services?stale", "stale")]
    [InlineData("/v1/catalog/service/consul?consistent", "consistent")]
    [InlineData("/v1/health/service/consul", "leader")]
    [InlineData("/v1/health/node/test-node", "leader")]
    [InlineData("/v1/health/checks/consul", "leader")]
    [InlineData("/v1/health/state/any", "leader")]
    [InlineData("/v1/catalog/node/test-node", "leader")]
    [InlineData("/v1/catalog/node-services/test-node", "leader")]
    public async Task Reads_carry_the_query_meta_headers(string url, string consistency)
    {
        var h = shared.Host;
        await h.PutOk("/v1/kv/k", "v");
        var r = await h.Get(url);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.True(IndexOf(r) > 0);
        Assert.Equal("true", Header(r, "X-Consul-KnownLeader"));
        Assert.Equal("0", Header(r, "X-Consul-LastContact"));
        Assert.Equal(consistency, Header(r, "X-Consul-Effective-Consistency"));
    }

    [Theory(Timeout = 20000)]
    [InlineData("GET", "/v1/kv/k?dc=mars")]
    [InlineData("PUT", "/v1/kv/k?dc=mars")]
    [InlineData("DELETE", "/v1/kv/k?dc=mars")]
    [InlineData("GET", "/v1/catalog/nodes?dc=mars")]
    [InlineData("GET", "/v1/catalog/services?dc=mars")]
    [InlineData("GET", "/v1/catalog/service/consul?dc=mars")]
    [InlineData("GET", "/v1/health/service/consul?dc=mars")]
    [InlineData("GET", "/v1/health/state/any?dc=mars")]
    public async Task Unknown_datacenter_is_500_no_path(string method, string url)
    {
        var h = shared.Host;
        await AssertError(await h.Send(new HttpMethod(method), url), 500, "No path to datacenter");
    }

    [Fact(Timeout = 20000)]
    public async Task Known_datacenter_is_served()
    {
        await using var h = await StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await h.Get("/v1/catalog/nodes?dc=dc1")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Cached_reads_report_a_fresh_miss()
    {
        await using var h = await StartAsync();
        var cached = await h.Get("/v1/health/service/consul?cached");
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal("MISS", cached.Headers.GetValues("X-Cache").Single());
        Assert.Equal("0", cached.Headers.GetValues("Age").Single());
        var plain = await h.Get("/v1/health/service/consul");
        Assert.False(plain.Headers.Contains("X-Cache"));
    }

    [Fact(Timeout = 20000)]
    public async Task Pretty_indents_with_four_spaces_and_a_trailing_newline()
    {
        // A non-dev server without gossip: a lone in-memory server, as before the cluster wiring.
        await using var h = await StartAsync(DefaultConfig(dev: false) with { Ports = new PortsConfig { Dns = -1, SerfLan = -1 } });
        var compact = await (await h.Get("/v1/catalog/datacenters")).Content.ReadAsStringAsync();
        Assert.Equal("[\"dc1\"]", compact);
        var pretty = await (await h.Get("/v1/catalog/datacenters?pretty")).Content.ReadAsStringAsync();
        Assert.Equal("[\n    \"dc1\"\n]\n", pretty);
        var nodes = await (await h.Get("/v1/catalog/nodes?pretty")).Content.ReadAsStringAsync();
        Assert.StartsWith("[\n    {\n        \"ID\": ", nodes);
    }

    [Fact(Timeout = 20000)]
    public async Task Dev_mode_always_pretty_prints_as_consul_does()
    {
        await using var h = await StartAsync();
        var body = await (await h.Get("/v1/catalog/datacenters")).Content.ReadAsStringAsync();
        Assert.Equal("[\n    \"dc1\"\n]\n", body);
    }

    [Fact(Timeout = 20000)]
    public async Task Token_is_taken_from_query_header_or_bearer()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register?token=q-token", """{"Name":"a"}""");

        var req = new HttpRequestMessage(HttpMethod.Put, "/v1/agent/service/register") { Content = new StringContent("""{"Name":"b"}""") };
        req.Headers.Add("X-Consul-Token", "h-token");
        Assert.Equal(HttpStatusCode.OK, (await h.Client.SendAsync(req)).StatusCode);

        req = new HttpRequestMessage(HttpMethod.Put, "/v1/agent/service/register") { Content = new StringContent("""{"Name":"c"}""") };
        req.Headers.Add("Authorization", "Bearer b-token");
        Assert.Equal(HttpStatusCode.OK, (await h.Client.SendAsync(req)).StatusCode);

        var local = h.Service<LocalState>();
        Assert.Equal("q-token", local.Service("a")!.Token);
        Assert.Equal("h-token", local.Service("b")!.Token);
        Assert.Equal("b-token", local.Service("c")!.Token);

        // Token-bearing reads are served.
        var read = new HttpRequestMessage(HttpMethod.Get, "/v1/kv/?keys");
        read.Headers.Add("X-Consul-Token", "anything");
        Assert.Equal(HttpStatusCode.OK, (await h.Client.SendAsync(read)).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_health_service_wakes_on_a_check_status_change()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/catalog/register", """{"Node":"n1","Address":"127.0.0.5","Service":{"Service":"db"},"Check":{"CheckID":"db-up","Name":"db","Status":"critical","ServiceID":"db"}}""");
        var index = IndexOf(await h.Get("/v1/health/service/db"));
        var blocked = h.Get($"/v1/health/service/db?passing&index={index}&wait=10s");
        await h.PutOk("/v1/catalog/register", """{"Node":"n1","Address":"127.0.0.5","Check":{"CheckID":"db-up","Name":"db","Status":"passing","ServiceID":"db"}}""");
        var r = await blocked.WaitAsync(TimeSpan.FromSeconds(8));
        Assert.Single((await Json(r))!.AsArray());
        Assert.True(IndexOf(r) > index);
    }
}
