using System.Text.Json.Nodes;
using Consul.Agent.Acl;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

public sealed class AgentTokenApiTests
{
    [Fact(Timeout = 60_000)]
    public async Task Set_tokens_are_persisted_in_Consuls_format_and_loaded_after_a_restart()
    {
        await AclApiHost.WithDataDirAsync(PersistAndRestart);
    }

    private static async Task PersistAndRestart(string dir)
    {
        var config = AclApiHost.Config(dataDir: dir, persistence: true);
        await using (var h = await AclApiHost.StartAsync(config))
        {
            var r = await h.Put("/v1/agent/token/default", """{"Token":"default-secret"}""");
            Assert.Equal(200, (int)r.StatusCode);
            Assert.Equal("", await r.Content.ReadAsStringAsync());
            await h.PutEmptyOk("/v1/agent/token/acl_agent_token", """{"Token":"agent-secret"}""");
            await h.PutEmptyOk("/v1/agent/token/agent_master", """{"Token":"recovery-secret"}""");
            await h.PutEmptyOk("/v1/agent/token/dns", """{"Token":"dns-secret"}""");

            var tokens = h.Host.Service<AgentTokens>();
            Assert.Equal("default-secret", tokens.Default);
            Assert.Equal("agent-secret", tokens.Get(AgentTokens.AgentKind));
            Assert.Equal("recovery-secret", tokens.AgentRecovery);

            await AgentTestHost.AssertError(await h.Put("/v1/agent/token/bogus", """{"Token":"x"}"""), 404, "Token \"bogus\" is unknown");
            await AgentTestHost.AssertError(await h.Put("/v1/agent/token/default", ""), 400, "Request decode failed: EOF");
        }

        var file = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, TokenPersistence.FileName)))!.AsObject();
        Assert.Equal(["agent_recovery", "default", "agent", "dns"], file.Select(p => p.Key).ToList());
        Assert.Equal("default-secret", (string)file["default"]!);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, TokenPersistence.FileName)));

        await using (var h = await AclApiHost.StartAsync(config))
        {
            var tokens = h.Host.Service<AgentTokens>();
            Assert.Equal("default-secret", tokens.Default);
            Assert.Equal("agent-secret", tokens.Get(AgentTokens.AgentKind));
            Assert.Equal("recovery-secret", tokens.AgentRecovery);
            Assert.Equal("dns-secret", tokens.Get(AgentTokens.DnsKind));
            Assert.Equal("", tokens.Get(AgentTokens.ReplicationKind));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_persistence_the_default_token_is_used_for_requests_without_one()
    {
        await using var h = await AclApiHost.StartAsync(AclApiHost.Config());
        var (accessor, secret) = await h.CreateToken("global-management");
        await AgentTestHost.AssertError(await h.Get("/v1/acl/token/self", token: null), 404, "Supplied token does not exist");

        await h.PutEmptyOk("/v1/agent/token/acl_token", $$"""{"Token":"{{secret}}"}""");
        // A request without a token now acts as the default token.
        Assert.Equal(accessor, (string)(await h.GetOk("/v1/acl/token/self", token: null))["AccessorID"]!);
        Assert.Null(TokenPersistence.Of(h.Host.Service<AgentTokens>()));

        // Answers follow the default token even when the ACL tables have not changed.
        var ro = "ro-" + Guid.NewGuid().ToString("N")[..8];
        await h.CreatePolicy(ro, "acl = \"read\"");
        var (_, readOnly) = await h.CreateToken(ro);
        await h.PutEmptyOk("/v1/agent/token/default", $$"""{"Token":"{{readOnly}}"}""");
        Assert.All((await h.GetOk("/v1/acl/tokens", token: null)).AsArray(), t => Assert.Equal("<hidden>", (string)t!["SecretID"]!));
        await h.PutEmptyOk("/v1/agent/token/default", $$"""{"Token":"{{secret}}"}""");
        Assert.Contains((await h.GetOk("/v1/acl/tokens", token: null)).AsArray(), t => (string)t!["SecretID"]! == secret);
    }
}

internal static class AclApiHostExtensions
{
    /// <summary>PUT that must answer 200 with an empty body (the agent token endpoint's answer).</summary>
    public static async Task PutEmptyOk(this AclApiHost h, string url, string body)
    {
        var r = await h.Put(url, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == 200, $"PUT {url} -> {(int)r.StatusCode}: {text}");
    }
}
