using System.Text.Json.Nodes;
using Consul.Core.Acl;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

public sealed class AclPermissionTests(AclApiFixture fixture) : IClassFixture<AclApiFixture>
{
    private AclApiHost H => fixture.Acl;

    private async Task<(string Accessor, string Secret)> ReadOnlyToken()
    {
        var policy = "ro-" + Guid.NewGuid().ToString("N")[..8];
        await H.CreatePolicy(policy, "acl = \"read\"");
        return await H.CreateToken(policy);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_read_only_token_reads_with_secrets_hidden_and_cannot_write()
    {
        var (accessor, secret) = await ReadOnlyToken();
        var denied = $"Permission denied: token with AccessorID '{accessor}' lacks permission 'acl:write'";

        var tokens = (await H.GetOk("/v1/acl/tokens", secret)).AsArray();
        Assert.NotEmpty(tokens);
        Assert.All(tokens, t => Assert.Equal("<hidden>", (string)t!["SecretID"]!));
        Assert.Equal("<hidden>", (string)(await H.GetOk($"/v1/acl/token/{accessor}", secret))["SecretID"]!);
        // Its own token read through /self shows the secret: whoever holds it knows it.
        Assert.Equal(secret, (string)(await H.GetOk("/v1/acl/token/self", secret))["SecretID"]!);
        await H.GetOk("/v1/acl/policies", secret);
        await H.GetOk("/v1/acl/roles", secret);

        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", "{}", secret), 403, denied);
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Name":"nope"}""", secret), 403, denied);
        await AgentTestHost.AssertError(await H.Put("/v1/acl/role", """{"Name":"nope"}""", secret), 403, denied);
        await AgentTestHost.AssertError(await H.Delete($"/v1/acl/token/{accessor}", secret), 403, denied);
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{accessor}/clone", "{}", secret), 403, denied);
        await AgentTestHost.AssertError(await H.Put("/v1/agent/token/default", """{"Token":"x"}""", secret), 403,
            $"Permission denied: token with AccessorID '{accessor}' lacks permission 'agent:write' on \"{AgentTestHost.NodeName}\"");
    }

    [Fact(Timeout = 30_000)]
    public async Task Anonymous_and_unknown_tokens_are_refused_until_the_anonymous_token_gets_a_policy()
    {
        await AgentTestHost.AssertError(await H.Get("/v1/acl/policies", token: null), 403,
            "Permission denied: anonymous token lacks permission 'acl:read'. The anonymous token is used implicitly when a request does not specify a token.");
        await AgentTestHost.AssertError(await H.Get("/v1/acl/tokens", "no-such-secret"), 403, "ACL not found");
        await AgentTestHost.AssertError(await H.Get("/v1/acl/token/self", token: null), 404, "Supplied token does not exist");

        var policy = "anon-" + Guid.NewGuid().ToString("N")[..8];
        await H.CreatePolicy(policy, "acl = \"read\"");
        var anonymous = await H.PutOk($"/v1/acl/token/{AclBuiltins.AnonymousTokenId}",
            new JsonObject { ["Description"] = "Anonymous Token", ["Policies"] = new JsonArray(new JsonObject { ["Name"] = policy }) }.ToJsonString());
        Assert.Equal("anonymous", (string)anonymous["SecretID"]!);
        try
        {
            await H.GetOk("/v1/acl/policies", token: null);
        }
        finally
        {
            await H.PutOk($"/v1/acl/token/{AclBuiltins.AnonymousTokenId}", """{"Description":"Anonymous Token"}""");
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Reads_are_blocking_queries_on_the_acl_tables()
    {
        var first = await H.Get("/v1/acl/policies");
        var index = AgentTestHost.IndexOf(first);
        var blocked = H.Get($"/v1/acl/policies?index={index}&wait=20s");
        await Task.Delay(100); // a head start so the query is waiting, not a readiness condition
        Assert.False(blocked.IsCompleted);
        var name = "blk-" + Guid.NewGuid().ToString("N")[..8];
        await H.CreatePolicy(name, "");
        var r = await blocked;
        Assert.True(AgentTestHost.IndexOf(r) > index);
        Assert.Contains((await AgentTestHost.Json(r))!.AsArray(), p => (string)p!["Name"]! == name);
    }
}
