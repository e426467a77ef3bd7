using System.Net;
using Consul.Tests.Http;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Coordination;

/// <summary>PUT /v1/kv/:key?acquire= / ?release= with LockIndex, Session and lock-delay (api-docs/kv).</summary>
public class KvLockTests
{
    private static async Task<string> Session(AgentTestHost h, string body = "{}") =>
        (await Json(await h.Put("/v1/session/create", body)))!["ID"]!.GetValue<string>();

    private static async Task<System.Text.Json.Nodes.JsonNode> Entry(AgentTestHost h, string key) =>
        (await h.GetJson($"/v1/kv/{key}"))!.AsArray().Single()!;

    [Fact(Timeout = 20000)]
    public async Task Acquire_sets_session_and_lock_index_and_a_second_session_is_refused()
    {
        await using var h = await StartAsync();
        var a = await Session(h);
        var b = await Session(h);

        Assert.Equal("true", await h.PutOk($"/v1/kv/svc/leader?acquire={a}", "node-a"));
        var e = await Entry(h, "svc/leader");
        Assert.Equal(a, e["Session"]!.GetValue<string>());
        Assert.Equal(1UL, e["LockIndex"]!.GetValue<ulong>());
        Assert.Equal("bm9kZS1h", e["Value"]!.GetValue<string>());

        Assert.Equal("false", await h.PutOk($"/v1/kv/svc/leader?acquire={b}", "node-b"));
        e = await Entry(h, "svc/leader");
        Assert.Equal(a, e["Session"]!.GetValue<string>());
        Assert.Equal("bm9kZS1h", e["Value"]!.GetValue<string>());

        // Re-acquiring by the holder succeeds, updates the value, keeps LockIndex.
        Assert.Equal("true", await h.PutOk($"/v1/kv/svc/leader?acquire={a}", "node-a2"));
        e = await Entry(h, "svc/leader");
        Assert.Equal(1UL, e["LockIndex"]!.GetValue<ulong>());
        Assert.Equal("bm9kZS1hMg==", e["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Release_by_holder_is_true_by_other_is_false_and_next_acquire_bumps_lock_index()
    {
        await using var h = await StartAsync();
        var a = await Session(h);
        var b = await Session(h);
        await h.PutOk($"/v1/kv/l?acquire={a}", "1");

        Assert.Equal("false", await h.PutOk($"/v1/kv/l?release={b}", "x"));
        Assert.Equal(a, (await Entry(h, "l"))["Session"]!.GetValue<string>());

        Assert.Equal("true", await h.PutOk($"/v1/kv/l?release={a}", "2"));
        var e = await Entry(h, "l");
        Assert.Null(e["Session"]);
        Assert.Equal(1UL, e["LockIndex"]!.GetValue<ulong>());
        Assert.Equal("Mg==", e["Value"]!.GetValue<string>());

        // A release by someone who never held it is false.
        Assert.Equal("false", await h.PutOk($"/v1/kv/l?release={a}"));

        Assert.Equal("true", await h.PutOk($"/v1/kv/l?acquire={b}", "3"));
        e = await Entry(h, "l");
        Assert.Equal(b, e["Session"]!.GetValue<string>());
        Assert.Equal(2UL, e["LockIndex"]!.GetValue<ulong>());
    }

    [Fact(Timeout = 20000)]
    public async Task Acquire_with_unknown_session_is_an_error()
    {
        await using var h = await StartAsync();
        var bogus = Guid.NewGuid().ToString();
        // Consul answers 500 here; a client mistake is a 400 in this agent, same message.
        await AssertError(await h.Put($"/v1/kv/k?acquire={bogus}", "v"), 400, $"Invalid session \"{bogus}\"");
        await AssertError(await h.Put("/v1/kv/k?acquire=", "v"), 400, "Missing session");
        await AssertError(await h.Put("/v1/kv/k?release=", "v"), 400, "Missing session");
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/k")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Plain_put_keeps_the_lock_holder()
    {
        await using var h = await StartAsync();
        var a = await Session(h);
        await h.PutOk($"/v1/kv/held?acquire={a}", "1");
        Assert.Equal("true", await h.PutOk("/v1/kv/held", "2"));
        var e = await Entry(h, "held");
        Assert.Equal(a, e["Session"]!.GetValue<string>());
        Assert.Equal("Mg==", e["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Lock_delay_refuses_acquire_right_after_destroy()
    {
        await using var h = await StartAsync();
        var a = await Session(h, """{"LockDelay":"15s"}""");
        await h.PutOk($"/v1/kv/delayed?acquire={a}", "1");
        await h.PutOk($"/v1/session/destroy/{a}");

        var b = await Session(h);
        Assert.Equal("false", await h.PutOk($"/v1/kv/delayed?acquire={b}", "2"));
        var e = await Entry(h, "delayed");
        Assert.Null(e["Session"]);
        Assert.Equal("MQ==", e["Value"]!.GetValue<string>());
    }

    [Fact(Timeout = 20000)]
    public async Task Zero_lock_delay_allows_immediate_reacquire()
    {
        await using var h = await StartAsync();
        var a = await Session(h, """{"LockDelay":0}""");
        await h.PutOk($"/v1/kv/free?acquire={a}", "1");
        await h.PutOk($"/v1/session/destroy/{a}");
        var b = await Session(h);
        Assert.Equal("true", await h.PutOk($"/v1/kv/free?acquire={b}", "2"));
        Assert.Equal(2UL, (await Entry(h, "free"))["LockIndex"]!.GetValue<ulong>());
    }

    [Fact(Timeout = 20000)]
    public async Task Release_does_not_start_lock_delay()
    {
        await using var h = await StartAsync();
        var a = await Session(h, """{"LockDelay":"15s"}""");
        await h.PutOk($"/v1/kv/rel?acquire={a}", "1");
        await h.PutOk($"/v1/kv/rel?release={a}");
        var b = await Session(h);
        Assert.Equal("true", await h.PutOk($"/v1/kv/rel?acquire={b}"));
    }
}
