using System.Diagnostics;
using System.Net;
using Consul.Agent.Config;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Http;

/// <summary>The limits and query times from the agent's config, on the API (in-process agent).</summary>
public sealed class ConfiguredLimitsTests
{
    private static Task<AgentTestHost> Start(Func<AgentConfig, AgentConfig> change) => AgentTestHost.StartAsync(change(AgentTestHost.DefaultConfig()));

    [Fact]
    public async Task Kv_max_value_size_bounds_a_value_and_each_txn_value()
    {
        await using var agent = await Start(c => c with { Limits = new LimitsConfig { KvMaxValueSize = 10 } });
        await agent.PutOk("/v1/kv/small", "0123456789");
        await AgentTestHost.AssertError(await agent.Put("/v1/kv/big", "0123456789a"), 413,
            "Request body(11 bytes) too large, max size: 10 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");
        var txn = $$$"""[{"KV":{"Verb":"set","Key":"big","Value":"{{{Convert.ToBase64String(new byte[11])}}}"}}]""";
        await AgentTestHost.AssertError(await agent.Put("/v1/txn", txn), 413, "Value for key \"big\" is too large (11 > 10 bytes)");
    }

    [Fact]
    public async Task Txn_max_req_len_bounds_the_body_but_never_below_kv_max_value_size()
    {
        await using (var agent = await Start(c => c with { Limits = new LimitsConfig { TxnMaxReqLen = 40, KvMaxValueSize = 20 } }))
        {
            var body = """[{"KV":{"Verb":"get","Key":"a-rather-long-key-name"}}]""";
            Assert.True(body.Length > 40);
            await AgentTestHost.AssertError(await agent.Put("/v1/txn", body), 413,
                $"Request body({body.Length} bytes) too large, max size: 40 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#txn_max_req_len.");
        }
        // A larger kv_max_value_size raises the body limit too (Consul keeps that for older configs).
        await using (var agent = await Start(c => c with { Limits = new LimitsConfig { TxnMaxReqLen = 40, KvMaxValueSize = 1000 } }))
            Assert.Equal(HttpStatusCode.Conflict, (await agent.Put("/v1/txn", """[{"KV":{"Verb":"get","Key":"a-rather-long-key-name"}}]""")).StatusCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Blocking_reads_wait_default_query_time_and_at_most_max_query_time()
    {
        await using var agent = await Start(c => c with { DefaultQueryTime = TimeSpan.FromMilliseconds(300), MaxQueryTime = TimeSpan.FromMilliseconds(600) });
        await agent.PutOk("/v1/kv/k", "v");
        var index = AgentTestHost.IndexOf(await agent.Get("/v1/kv/k"));
        // Without ?wait, default_query_time; with a longer ?wait, max_query_time (each plus up to 1/16 jitter).
        foreach (var query in new[] { "", "&wait=10m" })
        {
            var clock = Stopwatch.StartNew();
            var r = await agent.Get($"/v1/kv/k?index={index}{query}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"?index{query} held {clock.Elapsed}");
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"?index{query} returned after {clock.Elapsed}");
        }
    }

    [Fact]
    public async Task Rpc_rate_and_burst_answer_429_once_spent_but_never_for_the_agents_own_endpoints()
    {
        // A rate so low that no token comes back during the test: the burst is all there is.
        await using var agent = await Start(c => c with { Limits = new LimitsConfig { RpcRate = 0.001, RpcMaxBurst = 3 } });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await agent.Get("/v1/catalog/nodes")).StatusCode);
        await AgentTestHost.AssertError(await agent.Get("/v1/kv/k"), 429, "RPC rate limit exceeded");
        await AgentTestHost.AssertError(await agent.Put("/v1/kv/k", "v"), 429, "RPC rate limit exceeded");
        Assert.Equal(HttpStatusCode.OK, (await agent.Get("/v1/agent/self")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.Get("/v1/agent/members")).StatusCode);
    }

    [Fact]
    public void Rpc_rate_refills_the_bucket_over_time_up_to_the_burst_and_reloads()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var bucket = new Consul.Agent.Http.RpcRateLimiter(new LimitsConfig { RpcRate = 2, RpcMaxBurst = 2 }, clock);
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => bucket.Allow()));
        clock.Advance(TimeSpan.FromMilliseconds(500)); // one token at 2/s
        Assert.Equal([true, false], Enumerable.Range(0, 2).Select(_ => bucket.Allow()));
        clock.Advance(TimeSpan.FromSeconds(10)); // capped at the burst
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => bucket.Allow()));

        bucket.Update(new LimitsConfig { RpcRate = double.PositiveInfinity, RpcMaxBurst = 1 });
        Assert.True(Enumerable.Range(0, 100).All(_ => bucket.Allow()));
    }

    [Theory]
    [InlineData(0, 60)] // unset: Consul's default
    [InlineData(2, 2)]
    public void Rpc_client_timeout_is_the_deadline_of_a_call_to_a_server(int configured, int expected)
    {
        using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .BuildServiceProvider();
        var config = AgentTestHost.DefaultConfig() with { Limits = new LimitsConfig { RpcClientTimeout = TimeSpan.FromSeconds(configured) } };
        using var client = Consul.Agent.Tls.RpcTlsSetup.CreateClient(config, services);
        Assert.Equal(TimeSpan.FromSeconds(expected), client.CallTimeout);
    }

    [Fact]
    public async Task Session_ttl_min_is_the_lower_bound_of_a_session_ttl()
    {
        const string body = """{"TTL":"5s"}""";
        await using (var agent = await AgentTestHost.StartAsync())
            await AgentTestHost.AssertError(await agent.Put("/v1/session/create", body), 400,
                "Invalid Session TTL '5000000000', must be between [10s=24h0m0s]");
        await using (var agent = await Start(c => c with { SessionTtlMin = TimeSpan.FromSeconds(1) }))
        {
            await agent.PutOk("/v1/session/create", body);
            await AgentTestHost.AssertError(await agent.Put("/v1/session/create", """{"TTL":"500ms"}"""), 400,
                "Invalid Session TTL '500000000', must be between [1s=24h0m0s]");
        }
    }
}
