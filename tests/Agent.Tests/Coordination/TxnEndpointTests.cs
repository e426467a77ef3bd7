using System.Net;
using System.Text.Json.Nodes;
using Consul.Tests.Http;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Coordination;

/// <summary>PUT /v1/txn as Consul documents it (api-docs/txn).</summary>
public class TxnEndpointTests
{
    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));

    [Fact(Timeout = 20000)]
    public async Task Successful_write_txn_returns_200_with_results_and_applies_everything()
    {
        await using var h = await StartAsync();
        var body = $$$"""
        [
          {"KV": {"Verb": "set", "Key": "txn/a", "Value": "{{{B64("one")}}}", "Flags": 7}},
          {"KV": {"Verb": "set", "Key": "txn/b", "Value": "{{{B64("two")}}}"}},
          {"KV": {"Verb": "get", "Key": "txn/a"}}
        ]
        """;
        var r = await h.Put("/v1/txn", body);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var json = await Json(r);
        Assert.Null(json!["Errors"]);
        var results = json["Results"]!.AsArray();
        Assert.Equal(3, results.Count);
        var set = results[0]!["KV"]!;
        Assert.Equal("txn/a", set["Key"]!.GetValue<string>());
        Assert.Equal(7UL, set["Flags"]!.GetValue<ulong>());
        Assert.Null(set["Value"]);                             // writes come back without the value
        Assert.Equal(B64("one"), results[2]!["KV"]!["Value"]!.GetValue<string>());
        // Both writes share the transaction's index.
        Assert.Equal(set["ModifyIndex"]!.GetValue<ulong>(), results[1]!["KV"]!["ModifyIndex"]!.GetValue<ulong>());

        Assert.Equal(B64("two"), (await h.GetJson("/v1/kv/txn/b"))!.AsArray().Single()!["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Fields_a_txn_check_leaves_out_are_stored_empty_not_null()
    {
        await using var h = await StartAsync();
        var check = "{\"Node\": \"" + NodeName + "\", \"CheckID\": \"c1\", \"Name\": \"c1\", \"Status\": \"passing\"}";
        var r = await h.Put("/v1/txn", "[{\"Check\": {\"Verb\": \"set\", \"Check\": " + check + "}}]");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var stored = (await h.GetJson($"/v1/health/node/{NodeName}"))!.AsArray().Single(c => (string)c!["CheckID"]! == "c1")!;
        foreach (var field in new[] { "Notes", "Output", "ServiceID", "Type", "Interval", "Timeout" })
            Assert.Equal("", (string?)stored[field]);
    }

    [Fact(Timeout = 20000)]
    public async Task Failed_txn_returns_409_with_errors_and_applies_nothing()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/existing", "old");
        var body = $$$"""
        [
          {"KV": {"Verb": "set", "Key": "should-not-exist", "Value": "{{{B64("x")}}}"}},
          {"KV": {"Verb": "cas", "Key": "existing", "Value": "{{{B64("new")}}}", "Index": 999999}},
          {"KV": {"Verb": "check-not-exists", "Key": "existing"}}
        ]
        """;
        var r = await h.Put("/v1/txn", body);
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        var json = await Json(r);
        Assert.Null(json!["Results"]);
        var errors = json["Errors"]!.AsArray();
        Assert.Equal([1, 2], errors.Select(e => e!["OpIndex"]!.GetValue<int>()));
        Assert.Equal(["OpIndex", "What"], Keys(errors[0]));
        Assert.Equal("failed to set key \"existing\", index is stale", errors[0]!["What"]!.GetValue<string>());
        Assert.Equal("key \"existing\" exists", errors[1]!["What"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/should-not-exist")).StatusCode);
        Assert.Equal(B64("old"), (await h.GetJson("/v1/kv/existing"))!.AsArray().Single()!["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Lock_and_check_session_verbs()
    {
        await using var h = await StartAsync();
        var sid = (await Json(await h.Put("/v1/session/create")))!["ID"]!.GetValue<string>();
        var body = $$$"""
        [
          {"KV": {"Verb": "lock", "Key": "txn/lock", "Value": "{{{B64("me")}}}", "Session": "{{{sid}}}"}},
          {"KV": {"Verb": "check-session", "Key": "txn/lock", "Session": "{{{sid}}}"}}
        ]
        """;
        var r = await h.Put("/v1/txn", body);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var kv = (await Json(r))!["Results"]![0]!["KV"]!;
        Assert.Equal(sid, kv["Session"]!.GetValue<string>());
        Assert.Equal(1UL, kv["LockIndex"]!.GetValue<ulong>());

        var unlockWrong = $$$"""[{"KV": {"Verb": "unlock", "Key": "txn/lock", "Session": "{{{Guid.NewGuid()}}}"}}]""";
        var bad = await h.Put("/v1/txn", unlockWrong);
        Assert.Equal(HttpStatusCode.Conflict, bad.StatusCode);
        Assert.Equal(sid, (await h.GetJson("/v1/kv/txn/lock"))!.AsArray().Single()!["Session"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Node_service_and_check_verbs()
    {
        await using var h = await StartAsync();
        var body = """
        [
          {"Node": {"Verb": "set", "Node": {"Node": "txn-node", "Address": "10.1.2.3"}}},
          {"Service": {"Verb": "set", "Node": "txn-node", "Service": {"ID": "web1", "Service": "web", "Port": 8080}}},
          {"Check": {"Verb": "set", "Check": {"Node": "txn-node", "CheckID": "web-alive", "Name": "web alive", "Status": "passing", "ServiceID": "web1"}}}
        ]
        """;
        var r = await h.Put("/v1/txn", body);
        var text = await Body(r);
        Assert.True(r.StatusCode == HttpStatusCode.OK, text);
        var results = JsonNode.Parse(text)!["Results"]!.AsArray();
        Assert.Equal("txn-node", results[0]!["Node"]!["Node"]!.GetValue<string>());
        Assert.Equal("web", results[1]!["Service"]!["Service"]!.GetValue<string>());
        Assert.Equal("web-alive", results[2]!["Check"]!["CheckID"]!.GetValue<string>());

        var node = await h.GetJson("/v1/catalog/node/txn-node");
        Assert.Equal("10.1.2.3", node!["Node"]!["Address"]!.GetValue<string>());
        Assert.Equal(8080, node["Services"]!["web1"]!["Port"]!.GetValue<int>());
        Assert.Single((await h.GetJson("/v1/health/node/txn-node"))!.AsArray());

        var del = await h.Put("/v1/txn", """[{"Node": {"Verb": "delete", "Node": {"Node": "txn-node"}}}]""");
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        // Consul answers an unknown node with 200 and a null body.
        Assert.Null(await h.GetJson("/v1/catalog/node/txn-node"));
        Assert.DoesNotContain("txn-node", (await h.GetJson("/v1/catalog/nodes"))!.AsArray().Select(n => n!["Node"]!.GetValue<string>()));
    }

    [Fact(Timeout = 20000)]
    public async Task Too_many_operations_is_413()
    {
        await using var h = await StartAsync();
        var ops = string.Join(",", Enumerable.Range(0, 129).Select(i => $$$"""{"KV": {"Verb": "get", "Key": "k{{{i}}}"}}"""));
        var r = await h.Put("/v1/txn", $"[{ops}]");
        await AssertError(r, 413, "Transaction contains too many operations (129 > 128)");
    }

    [Fact(Timeout = 20000)]
    public async Task Read_only_txn_has_leader_headers_and_no_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/ro", "v");
        var r = await h.Put("/v1/txn", """[{"KV": {"Verb": "get", "Key": "ro"}}, {"KV": {"Verb": "get-tree", "Key": ""}}]""");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("true", Header(r, "X-Consul-KnownLeader"));
        Assert.NotNull(Header(r, "X-Consul-LastContact"));
        Assert.Null(Header(r, "X-Consul-Index"));
        var results = (await Json(r))!["Results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal(B64("v"), results[0]!["KV"]!["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Read_only_txn_of_a_missing_key_is_409()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/txn", """[{"KV": {"Verb": "get", "Key": "nope"}}]""");
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        var err = (await Json(r))!["Errors"]!.AsArray().Single()!;
        Assert.Equal(0, err["OpIndex"]!.GetValue<int>());
        Assert.Equal("key \"nope\" doesn't exist", err["What"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_verb_is_a_409_txn_error_as_in_Consuls_state_store()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/txn", """[{"KV": {"Verb": "set", "Key": "k", "Value": "eA=="}}, {"KV": {"Verb": "frobnicate", "Key": "k"}}]""");
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        var err = (await Json(r))!["Errors"]!.AsArray().Single()!;
        Assert.Equal(1, err["OpIndex"]!.GetValue<int>());
        Assert.Equal("unknown KV verb \"frobnicate\"", err["What"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/k")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Lock_in_lock_delay_fails_the_txn()
    {
        await using var h = await StartAsync();
        var a = (await Json(await h.Put("/v1/session/create", """{"LockDelay":"15s"}""")))!["ID"]!.GetValue<string>();
        await h.PutOk($"/v1/kv/d?acquire={a}", "1");
        await h.PutOk($"/v1/session/destroy/{a}");
        var b = (await Json(await h.Put("/v1/session/create")))!["ID"]!.GetValue<string>();
        var r = await h.Put("/v1/txn", $$$"""[{"KV": {"Verb": "set", "Key": "other", "Value": "eA=="}}, {"KV": {"Verb": "lock", "Key": "d", "Session": "{{{b}}}"}}]""");
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        var err = (await Json(r))!["Errors"]!.AsArray().Single()!;
        Assert.Equal(1, err["OpIndex"]!.GetValue<int>());
        Assert.Equal("failed to lock key \"d\" due to lock delay", err["What"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/other")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Bad_body_is_400()
    {
        await using var h = await StartAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await h.Put("/v1/txn", """{"KV": {}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await h.Put("/v1/txn", "not json")).StatusCode);
    }
}
