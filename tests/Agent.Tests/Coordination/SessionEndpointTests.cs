using System.Net;
using Consul.Core.Model;
using Consul.Core.State;
using Consul.Tests.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Coordination;

/// <summary>/v1/session/* as Consul documents it (api-docs/session).</summary>
public class SessionEndpointTests
{
    private static async Task<string> Create(AgentTestHost h, string? body = null) =>
        (await Json(await h.Put("/v1/session/create", body)))!["ID"]!.GetValue<string>();

    [Fact(Timeout = 20000)]
    public async Task Create_with_no_body_uses_Consul_defaults()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/session/create");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var created = await Json(r);
        Assert.Equal(["ID"], Keys(created));
        var id = created!["ID"]!.GetValue<string>();
        Assert.True(Guid.TryParse(id, out _));

        var s = (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Single()!;
        Assert.Equal(id, s["ID"]!.GetValue<string>());
        Assert.Equal(NodeName, s["Node"]!.GetValue<string>());
        Assert.Equal(["serfHealth"], s["NodeChecks"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal(15_000_000_000L, s["LockDelay"]!.GetValue<long>());
        Assert.Equal("release", s["Behavior"]!.GetValue<string>());
        Assert.Equal("", s["TTL"]!.GetValue<string>());
        Assert.Equal("", s["Name"]!.GetValue<string>());
        Assert.True(s["CreateIndex"]!.GetValue<ulong>() > 0);
        Assert.Equal(s["CreateIndex"]!.GetValue<ulong>(), s["ModifyIndex"]!.GetValue<ulong>());
    }

    [Theory(Timeout = 20000)]
    [InlineData("\"15s\"", 15_000_000_000L)]
    [InlineData("\"1m\"", 60_000_000_000L)]
    [InlineData("\"0s\"", 0L)]
    [InlineData("20", 20_000_000_000L)]           // a small number means seconds
    [InlineData("5000000000", 5_000_000_000L)]    // a large number is nanoseconds
    public async Task LockDelay_accepts_duration_strings_and_numbers(string json, long nanos)
    {
        await using var h = await StartAsync();
        var id = await Create(h, $"{{\"LockDelay\": {json}}}");
        var s = (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Single()!;
        Assert.Equal(nanos, s["LockDelay"]!.GetValue<long>());
    }

    [Fact(Timeout = 20000)]
    public async Task Create_keeps_name_ttl_behavior_and_checks()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"Name":"web-lock","TTL":"30s","Behavior":"delete","NodeChecks":[]}""");
        var s = (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Single()!;
        Assert.Equal("web-lock", s["Name"]!.GetValue<string>());
        Assert.Equal("30s", s["TTL"]!.GetValue<string>());
        Assert.Equal("delete", s["Behavior"]!.GetValue<string>());
        Assert.Empty(s["NodeChecks"]!.AsArray());
    }

    [Theory(Timeout = 20000)]
    [InlineData("5s", "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]")]
    [InlineData("25h", "Invalid Session TTL '90000000000000', must be between [10s=24h0m0s]")]
    public async Task Ttl_out_of_range_is_refused_with_Consuls_message(string ttl, string message)
    {
        await using var h = await StartAsync();
        // Consul answers 500 (its Session.Apply RPC); a client mistake is a 400 in this agent.
        await AssertError(await h.Put("/v1/session/create", $"{{\"TTL\":\"{ttl}\"}}"), 400, message);
        Assert.Empty((await h.GetJson("/v1/session/list"))!.AsArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Unparseable_ttl_is_refused()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/session/create", """{"TTL":"soon"}"""), 400,
            "Session TTL 'soon' invalid: time: invalid duration \"soon\"");
    }

    [Fact(Timeout = 20000)]
    public async Task Invalid_behavior_is_refused()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/session/create", """{"Behavior":"explode"}"""), 400, "Invalid Behavior setting 'explode'");
    }

    [Fact(Timeout = 20000)]
    public async Task Empty_behavior_defaults_to_release()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"Behavior":""}""");
        Assert.Equal("release", (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Single()!["Behavior"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_node_is_refused()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/session/create", """{"Node":"no-such-node"}"""), 400, "Missing node registration");
        Assert.Empty((await h.GetJson("/v1/session/list"))!.AsArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Info_node_and_list_return_arrays_with_the_sessions_index()
    {
        await using var h = await StartAsync();
        var a = await Create(h, """{"Name":"a"}""");
        var b = await Create(h, """{"Name":"b"}""");

        var info = await h.Get($"/v1/session/info/{a}");
        var infoIndex = IndexOf(info);
        Assert.Equal(a, (await Json(info))!.AsArray().Single()!["ID"]!.GetValue<string>());

        var list = await h.Get("/v1/session/list");
        Assert.Equal(infoIndex, IndexOf(list));
        Assert.Equal(new[] { a, b }.Order(), (await Json(list))!.AsArray().Select(x => x!["ID"]!.GetValue<string>()).Order());

        var node = await h.Get($"/v1/session/node/{NodeName}");
        Assert.Equal(infoIndex, IndexOf(node));
        Assert.Equal(2, (await Json(node))!.AsArray().Count);

        // The index is the sessions table's: the last create.
        var bInfo = (await h.GetJson($"/v1/session/info/{b}"))!.AsArray().Single()!;
        Assert.Equal(bInfo["ModifyIndex"]!.GetValue<ulong>(), infoIndex);

        Assert.Empty((await h.GetJson("/v1/session/node/other-node"))!.AsArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Info_of_unknown_session_is_an_empty_array()
    {
        await using var h = await StartAsync();
        var r = await h.Get($"/v1/session/info/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.NotNull(Header(r, "X-Consul-Index"));
        Assert.Empty((await Json(r))!.AsArray());
    }

    [Fact(Timeout = 20000)]
    public async Task Renew_returns_the_session_and_unknown_is_404()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"TTL":"30s"}""");
        var renewed = (await Json(await h.Put($"/v1/session/renew/{id}")))!.AsArray().Single()!;
        Assert.Equal(id, renewed["ID"]!.GetValue<string>());
        Assert.Equal("30s", renewed["TTL"]!.GetValue<string>());

        var missing = Guid.NewGuid().ToString();
        await AssertError(await h.Put($"/v1/session/renew/{missing}"), 404, $"Session id '{missing}' not found");
    }

    [Fact(Timeout = 20000)]
    public async Task Destroy_returns_true_removes_the_session_and_releases_its_locks()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"LockDelay":"0s"}""");
        Assert.Equal("true", await h.PutOk($"/v1/kv/lock?acquire={id}", "v"));

        var before = IndexOf(await h.Get("/v1/session/list"));
        Assert.Equal("true", await h.PutOk($"/v1/session/destroy/{id}"));
        var list = await h.Get("/v1/session/list");
        Assert.True(IndexOf(list) > before);
        Assert.Empty((await Json(list))!.AsArray());

        var kv = (await h.GetJson("/v1/kv/lock"))!.AsArray().Single()!;
        Assert.Null(kv["Session"]);
        Assert.Equal(1UL, kv["LockIndex"]!.GetValue<ulong>());
        Assert.Equal("dg==", kv["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Destroying_a_delete_session_deletes_its_keys()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"Behavior":"delete","LockDelay":"0s"}""");
        Assert.Equal("true", await h.PutOk($"/v1/kv/eph?acquire={id}", "v"));
        await h.PutOk($"/v1/session/destroy/{id}");
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/eph")).StatusCode);
    }

    /// <summary>
    /// The agent's timers run on the system clock, so the TTL logic is driven here through a
    /// second SessionTimers on a fake clock, writing through the same log as the agent.
    /// </summary>
    [Fact(Timeout = 20000)]
    public async Task Ttl_expiry_after_twice_the_ttl_invalidates_and_releases()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"TTL":"10s","LockDelay":"0s"}""");
        Assert.Equal("true", await h.PutOk($"/v1/kv/ttl-lock?acquire={id}", "x"));

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var timers = new SessionTimers(h.Service<ICommandLog>(), h.Service<StateStore>(), clock, NullLogger.Instance);
        var session = h.Service<StateStore>().Current.Sessions[id];
        timers.Reset(session);

        clock.Advance(TimeSpan.FromSeconds(19));   // past the TTL but inside Consul's 2x grace
        Assert.Single((await h.GetJson($"/v1/session/info/{id}"))!.AsArray());
        timers.Reset(session);                     // a renewal restarts the full 2x window
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Single((await h.GetJson($"/v1/session/info/{id}"))!.AsArray());

        clock.Advance(TimeSpan.FromSeconds(2));
        await WaitUntil(async () => (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Count == 0,
            TimeSpan.FromSeconds(5), "session invalidated after 2x TTL");
        Assert.Null((await h.GetJson("/v1/kv/ttl-lock"))!.AsArray().Single()!["Session"]);
    }

    /// <summary>The agent's own timer, on the real clock: 10s TTL expires by 20s (bounded at 25s).</summary>
    [Fact(Timeout = 30000)]
    public async Task Ttl_expiry_on_the_real_agent_timer()
    {
        await using var h = await StartAsync();
        var id = await Create(h, """{"TTL":"10s","LockDelay":"0s"}""");
        Assert.Equal("true", await h.PutOk($"/v1/kv/real-ttl?acquire={id}", "x"));
        var started = DateTime.UtcNow;
        await WaitUntil(async () => (await h.GetJson($"/v1/session/info/{id}"))!.AsArray().Count == 0,
            TimeSpan.FromSeconds(25), "session expired by the agent");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(15), "expired before the 2x grace");
        Assert.Null((await h.GetJson("/v1/kv/real-ttl"))!.AsArray().Single()!["Session"]);
    }
}
