using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Config;
using Consul.Core.Acl;
using Consul.Core.State;
using Consul.Tests.Http;

namespace Consul.Tests.PreparedQueries;

/// <summary>/v1/query through an in-process agent.</summary>
public class PreparedQueryHttpTests
{
    private static async Task Register(AgentTestHost h, string node, string addr, string service, string id, string status, string[]? tags = null, string? token = null)
    {
        var body = new JsonObject
        {
            ["Node"] = node, ["Address"] = addr,
            ["Service"] = new JsonObject { ["ID"] = id, ["Service"] = service, ["Port"] = 80, ["Tags"] = new JsonArray((tags ?? []).Select(t => (JsonNode)t!).ToArray()) },
            ["Check"] = new JsonObject { ["CheckID"] = id + "-chk", ["Name"] = "c", ["Status"] = status, ["ServiceID"] = id },
        };
        var r = await Send(h, HttpMethod.Put, "/v1/catalog/register", body.ToJsonString(), token);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
    }

    private static Task<HttpResponseMessage> Send(AgentTestHost h, HttpMethod method, string url, string? body = null, string? token = null)
    {
        var req = new HttpRequestMessage(method, url);
        if (body is not null) req.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (token is not null) req.Headers.Add("X-Consul-Token", token);
        return h.Client.SendAsync(req);
    }

    private static async Task<string> CreateQuery(AgentTestHost h, string body, string? token = null)
    {
        var r = await Send(h, HttpMethod.Post, "/v1/query", body, token);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        return (string)JsonNode.Parse(text)!["ID"]!;
    }

    [Fact(Timeout = 30000)]
    public async Task Create_read_list_update_delete_round_trip()
    {
        await using var h = await AgentTestHost.StartAsync();
        var id = await CreateQuery(h, """{"Name":"my-query","Service":{"Service":"redis","Tags":["primary","!experimental"],"Failover":{"NearestN":3,"Datacenters":["dc2"]}},"DNS":{"TTL":"10s"}}""");
        Assert.True(Guid.TryParse(id, out _));

        var got = await h.Get("/v1/query/" + id);
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var created = AgentTestHost.IndexOf(got);
        var q = (await AgentTestHost.Json(got))!.AsArray().Single()!;
        Assert.Equal(id, (string)q["ID"]!);
        Assert.Equal("my-query", (string)q["Name"]!);
        Assert.Equal("redis", (string)q["Service"]!["Service"]!);
        Assert.Equal(3, (int)q["Service"]!["Failover"]!["NearestN"]!);
        Assert.Equal("10s", (string)q["DNS"]!["TTL"]!);
        Assert.Equal("", (string)q["Token"]!);
        Assert.Equal(created, (ulong)q["CreateIndex"]!);
        Assert.Equal("", (string)q["Template"]!["Type"]!);
        Assert.Equal(["ID", "Name", "Session", "Token", "Template", "Service", "DNS", "CreateIndex", "ModifyIndex"], q.AsObject().Select(p => p.Key).ToArray());
        Assert.Null(q["Service"]!["NodeMeta"]);

        var update = await Send(h, HttpMethod.Put, "/v1/query/" + id, """{"Name":"my-query","Service":{"Service":"memcached"}}""");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var list = (await h.GetJson("/v1/query"))!.AsArray();
        Assert.Equal("memcached", (string)list.Single()!["Service"]!["Service"]!);
        Assert.Equal(created, (ulong)list.Single()!["CreateIndex"]!);
        Assert.True((ulong)list.Single()!["ModifyIndex"]! > created);

        Assert.Equal(HttpStatusCode.OK, (await h.Delete("/v1/query/" + id)).StatusCode);
        var gone = await h.Get("/v1/query/" + id);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("Query not found", await AgentTestHost.Body(gone));
        Assert.Equal("[]", (await AgentTestHost.Body(await h.Get("/v1/query"))).Replace(" ", "").Replace("\n", ""));
    }

    [Fact(Timeout = 30000)]
    public async Task Invalid_queries_are_rejected_with_Consuls_messages_as_400()
    {
        await using var h = await AgentTestHost.StartAsync();
        async Task<(HttpStatusCode, string)> Post(string body)
        {
            var r = await Send(h, HttpMethod.Post, "/v1/query", body);
            return (r.StatusCode, await AgentTestHost.Body(r));
        }
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid prepared query: Must be bound to a session"), await Post("""{"Service":{"Service":"a"}}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid prepared query: Must provide a Service name to query"), await Post("""{"Name":"a"}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid prepared query: Bad NearestN '-1', must be >= 0"), await Post("""{"Name":"a","Service":{"Service":"a","Failover":{"NearestN":-1}}}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "Invalid prepared query: Bad Token '<hidden>', it looks like a query definition with a redacted token was submitted"),
            await Post("""{"Name":"a","Token":"<hidden>","Service":{"Service":"a"}}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "ID must be empty when creating a new prepared query"), await Post("""{"ID":"x","Name":"a","Service":{"Service":"a"}}"""));
        Assert.Equal((HttpStatusCode.BadRequest, "Bad Template.Type 'bogus'"), await Post("""{"Name":"a","Template":{"Type":"bogus"},"Service":{"Service":"a"}}"""));
        Assert.StartsWith("Invalid prepared query: Bad DNS TTL 'x'", (await Post("""{"Name":"a","Service":{"Service":"a"},"DNS":{"TTL":"x"}}""")).Item2);
        await CreateQuery(h, """{"Name":"taken","Service":{"Service":"a"}}""");
        Assert.Equal((HttpStatusCode.BadRequest, "name 'taken' aliases an existing query name"), await Post("""{"Name":"taken","Service":{"Service":"b"}}"""));
        var missing = await Send(h, HttpMethod.Put, "/v1/query/7d1d6b4e-0000-4000-8000-000000000000", """{"Name":"z","Service":{"Service":"a"}}""");
        Assert.Equal("Cannot modify non-existent prepared query: '7d1d6b4e-0000-4000-8000-000000000000'", await AgentTestHost.Body(missing));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(h, HttpMethod.Post, "/v1/query", "{bad")).StatusCode);
    }

    [Fact(Timeout = 30000)]
    public async Task Execute_returns_healthy_filtered_instances_in_Consuls_shape()
    {
        await using var h = await AgentTestHost.StartAsync();
        await Register(h, "n1", "10.0.0.1", "redis", "r1", "passing", ["primary"]);
        await Register(h, "n2", "10.0.0.2", "redis", "r2", "warning", ["primary", "experimental"]);
        await Register(h, "n3", "10.0.0.3", "redis", "r3", "critical", ["primary"]);
        await Register(h, "n4", "10.0.0.4", "redis", "r4", "passing", ["secondary"]);
        var id = await CreateQuery(h, """{"Name":"redis-q","Service":{"Service":"redis","Tags":["primary","!experimental"]},"DNS":{"TTL":"7s"}}""");

        foreach (var path in new[] { id, "redis-q" })
        {
            var body = (await h.GetJson($"/v1/query/{path}/execute"))!;
            Assert.Equal("redis", (string)body["Service"]!);
            Assert.Equal("dc1", (string)body["Datacenter"]!);
            Assert.Equal(0, (int)body["Failovers"]!);
            Assert.Equal("7s", (string)body["DNS"]!["TTL"]!);
            var node = body["Nodes"]!.AsArray().Single()!;
            Assert.Equal("n1", (string)node["Node"]!["Node"]!);
            Assert.Equal("r1", (string)node["Service"]!["ID"]!);
            Assert.Equal("passing", (string)node["Checks"]!.AsArray().Single(c => (string)c!["CheckID"]! == "r1-chk")!["Status"]!);
        }

        var all = await CreateQuery(h, """{"Name":"redis-all","Service":{"Service":"redis"}}""");
        var nodes = (await h.GetJson($"/v1/query/{all}/execute"))!["Nodes"]!.AsArray();
        Assert.Equal(["n1", "n2", "n4"], nodes.Select(n => (string)n!["Node"]!["Node"]!).Order().ToArray());
        Assert.Single((await h.GetJson($"/v1/query/{all}/execute?limit=1"))!["Nodes"]!.AsArray());

        var missing = await h.Get("/v1/query/nope/execute");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Query not found", await AgentTestHost.Body(missing));
        var none = (await h.GetJson("/v1/query/" + await CreateQuery(h, """{"Name":"x","Service":{"Service":"nothing"}}""") + "/execute"))!;
        Assert.Empty(none["Nodes"]!.AsArray());
    }

    [Fact(Timeout = 30000)]
    public async Task Templates_answer_by_prefix_and_explain_shows_the_rendered_query()
    {
        await using var h = await AgentTestHost.StartAsync();
        await Register(h, "n1", "10.0.0.1", "db", "db1", "passing", ["east"]);
        await Register(h, "n2", "10.0.0.2", "db", "db2", "passing", ["west"]);
        await CreateQuery(h, """{"Name":"geo-","Template":{"Type":"name_prefix_match","Regexp":"^geo-([^-]+)-(.+)$"},"Service":{"Service":"${match(1)}","Tags":["${match(2)}"]}}""");

        var exec = (await h.GetJson("/v1/query/geo-db-west/execute"))!;
        Assert.Equal("db", (string)exec["Service"]!);
        Assert.Equal("n2", (string)exec["Nodes"]!.AsArray().Single()!["Node"]!["Node"]!);

        var explain = (await h.GetJson("/v1/query/geo-db-east/explain"))!["Query"]!;
        Assert.Equal("db", (string)explain["Service"]!["Service"]!);
        Assert.Equal("east", (string)explain["Service"]!["Tags"]!.AsArray().Single()!);
        Assert.Equal("geo-", (string)explain["Name"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/query/other/explain")).StatusCode);
    }

    [Fact(Timeout = 30000)]
    public async Task List_blocks_until_the_table_changes()
    {
        await using var h = await AgentTestHost.StartAsync();
        await CreateQuery(h, """{"Name":"a","Service":{"Service":"a"}}""");
        var first = await h.Get("/v1/query");
        var index = AgentTestHost.IndexOf(first);
        var blocked = h.Get($"/v1/query?index={index}&wait=10s");
        await Task.Yield();
        Assert.False(blocked.IsCompleted);
        await CreateQuery(h, """{"Name":"b","Service":{"Service":"b"}}""");
        var r = await blocked;
        Assert.True(AgentTestHost.IndexOf(r) > index);
        Assert.Equal(2, (await AgentTestHost.Json(r))!.AsArray().Count);
    }

    [Fact(Timeout = 60000)]
    public async Task ACLs_gate_writes_filter_reads_hide_tokens_and_execute_with_the_stored_token()
    {
        var config = AgentTestHost.DefaultConfig() with
        {
            Acl = new AclConfig { Enabled = true, DefaultPolicy = "deny", Tokens = new AclTokensConfig { InitialManagement = "root" } },
        };
        await using var h = await AgentTestHost.StartAsync(config);
        var store = h.Service<StateStore>();
        await AgentTestHost.WaitUntil(() => Task.FromResult(store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && store.Current.AclSecrets.ContainsKey("root")),
            TimeSpan.FromSeconds(20), "ACL bootstrap");
        await Register(h, "n1", "10.0.0.1", "web", "w1", "passing", token: "root");
        await Register(h, "n2", "10.0.0.2", "web", "w2", "passing", token: "root");

        // A token that may write queries "team-" and read service web on node n1 only.
        var policy = await Send(h, HttpMethod.Put, "/v1/acl/policy",
            """{"Name":"team","Rules":"query_prefix \"team-\" { policy = \"write\" }\nservice \"web\" { policy = \"read\" }\nnode \"n1\" { policy = \"read\" }"}""", "root");
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var tokenJson = JsonNode.Parse(await (await Send(h, HttpMethod.Put, "/v1/acl/token", """{"Policies":[{"Name":"team"}]}""", "root")).Content.ReadAsStringAsync())!;
        var team = (string)tokenJson["SecretID"]!;

        var denied = await Send(h, HttpMethod.Post, "/v1/query", """{"Name":"other","Service":{"Service":"web"}}""", team);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("Permission denied", await AgentTestHost.Body(denied));
        var own = await CreateQuery(h, """{"Name":"team-web","Service":{"Service":"web"}}""", team);
        var withToken = await CreateQuery(h, """{"Name":"team-root","Token":"root","Service":{"Service":"web"}}""", team);
        var rootOnly = await CreateQuery(h, """{"Name":"ops","Service":{"Service":"web"}}""", "root");

        // The team sees its queries, with the stored token hidden; management sees it.
        var listed = JsonNode.Parse(await (await Send(h, HttpMethod.Get, "/v1/query", token: team)).Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["team-root", "team-web"], listed.Select(q => (string)q!["Name"]!).Order().ToArray());
        Assert.Equal("<hidden>", (string)listed.Single(q => (string)q!["Name"]! == "team-root")!["Token"]!);
        var asRoot = JsonNode.Parse(await (await Send(h, HttpMethod.Get, "/v1/query/" + withToken, token: "root")).Content.ReadAsStringAsync())!;
        Assert.Equal("root", (string)asRoot[0]!["Token"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(h, HttpMethod.Get, "/v1/query/" + rootOnly, token: team)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(h, HttpMethod.Delete, "/v1/query/" + rootOnly, token: team)).StatusCode);

        // Executing filters with the caller's token, or with the query's stored one.
        async Task<string[]> Nodes(string id, string? token) =>
            JsonNode.Parse(await (await Send(h, HttpMethod.Get, $"/v1/query/{id}/execute", token: token)).Content.ReadAsStringAsync())!["Nodes"]!
                .AsArray().Select(n => (string)n!["Node"]!["Node"]!).Order().ToArray();
        Assert.Equal(["n1"], await Nodes(own, team));
        Assert.Equal(["n1", "n2"], await Nodes(withToken, team));
        Assert.Empty(await Nodes(own, null));
    }
}
