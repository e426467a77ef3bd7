using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>check_output_max_size and check_update_interval taken from the agent's config.</summary>
public sealed class CheckOutputConfigTests
{
    private static async Task<JsonNode> AgentCheck(AgentTestHost h, string id) =>
        (await h.GetJson("/v1/agent/checks"))![id] ?? throw new Xunit.Sdk.XunitException($"no check {id}");

    [Theory(Timeout = 20000)]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "abcdefghij ... (captured 10 of 26 bytes)")] // cut as Consul does
    [InlineData("abcdefghij", "abcdefghij")]                                            // shorter output left alone
    public async Task Check_output_max_size_bounds_ttl_output(string output, string kept)
    {
        await using var h = await StartAsync(DefaultConfig() with { CheckOutputMaxSize = 10 });
        await h.PutOk("/v1/agent/check/register", """{"Name":"ttl","TTL":"30s"}""");
        await h.PutOk("/v1/agent/check/update/ttl", $$"""{"Status":"passing","Output":"{{output}}"}""");

        Assert.Equal(kept, (string?)(await AgentCheck(h, "ttl"))["Output"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Zero_check_update_interval_sends_output_changes_to_the_catalog_at_once()
    {
        await using var h = await StartAsync(DefaultConfig() with { CheckUpdateInterval = TimeSpan.Zero });
        await h.PutOk("/v1/agent/check/register", """{"Name":"ttl","TTL":"30s"}""");
        await h.PutOk("/v1/agent/check/update/ttl", """{"Status":"passing","Output":"one"}""");
        await WaitUntil(async () => await CatalogOutput(h) == "one", TimeSpan.FromSeconds(10), "status change in the catalog");

        await h.PutOk("/v1/agent/check/update/ttl", """{"Status":"passing","Output":"two"}""");
        await WaitUntil(async () => await CatalogOutput(h) == "two", TimeSpan.FromSeconds(10), "output-only change in the catalog");
    }

    private static async Task<string?> CatalogOutput(AgentTestHost h) =>
        (string?)(await h.GetJson($"/v1/health/node/{NodeName}"))!.AsArray().FirstOrDefault(c => (string?)c!["CheckID"] == "ttl")?["Output"];
}
