using System.Globalization;
using Consul.Agent.Http.Acl;
using Consul.Core.State;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

public sealed class AclBootstrapTests
{
    [Fact(Timeout = 30_000)]
    public async Task Bootstrap_works_once_then_403_until_the_reset_file_names_the_index()
    {
        await AclApiHost.WithDataDirAsync(BootstrapAndReset);
    }

    private static async Task BootstrapAndReset(string dir)
    {
        await using var h = await AclApiHost.StartAsync(AclApiHost.Config(initialManagement: null, dataDir: dir));

        var first = await h.Ok(HttpMethod.Put, "/v1/acl/bootstrap", token: null);
        Assert.Equal("ID", AgentTestHost.Keys(first)[0]);
        Assert.Equal((string)first["SecretID"]!, (string)first["ID"]!);
        Assert.Equal("Bootstrap Token (Global Management)", (string)first["Description"]!);
        Assert.Equal("global-management", (string)first["Policies"]![0]!["Name"]!);
        Assert.True(Guid.TryParse((string)first["AccessorID"]!, out _));
        // The new token manages everything.
        var self = await h.GetOk("/v1/acl/token/self", (string)first["SecretID"]!);
        Assert.Equal((string)first["AccessorID"]!, (string)self["AccessorID"]!);

        var resetIndex = h.Host.Service<StateStore>().Current.AclBootstrapIndex;
        var again = await h.Put("/v1/acl/bootstrap", null, token: null);
        await AgentTestHost.AssertError(again, 403, $"Permission denied: ACL bootstrap no longer allowed (reset index: {resetIndex})");

        var resetFile = Path.Combine(dir, AclBootstrapEndpoint.ResetFileName);
        await File.WriteAllTextAsync(resetFile, (resetIndex + 1).ToString(CultureInfo.InvariantCulture));
        await AgentTestHost.AssertError(await h.Put("/v1/acl/bootstrap", null, token: null), 400,
            $"Invalid bootstrap reset index (specified {resetIndex + 1}, reset index: {resetIndex})");

        await File.WriteAllTextAsync(resetFile, resetIndex.ToString(CultureInfo.InvariantCulture) + "\n");
        var second = await h.Ok(new HttpMethod("POST"), "/v1/acl/bootstrap", token: null);
        Assert.NotEqual((string)first["AccessorID"]!, (string)second["AccessorID"]!);
        Assert.False(File.Exists(resetFile));

        var newIndex = h.Host.Service<StateStore>().Current.AclBootstrapIndex;
        Assert.True(newIndex > resetIndex);
        await AgentTestHost.AssertError(await h.Put("/v1/acl/bootstrap", null, token: null), 403,
            $"Permission denied: ACL bootstrap no longer allowed (reset index: {newIndex})");
    }

    [Fact(Timeout = 30_000)]
    public async Task Bootstrap_uses_the_supplied_BootstrapSecret()
    {
        await using var h = await AclApiHost.StartAsync(AclApiHost.Config(initialManagement: null));
        await AgentTestHost.AssertError(await h.Put("/v1/acl/bootstrap", """{"BootstrapSecret":"not-a-uuid"}""", token: null), 400,
            "Invalid Token: SecretID - not a valid UUID");

        const string secret = "6a1253d2-1785-24fd-91c2-f8e78c745511";
        var t = await h.PutOk("/v1/acl/bootstrap", $$"""{"BootstrapSecret":"{{secret}}"}""", token: null);
        Assert.Equal(secret, (string)t["SecretID"]!);
        Assert.Equal(secret, (string)(await h.GetOk("/v1/acl/token/self", secret))["SecretID"]!);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_initial_management_token_uses_up_the_bootstrap()
    {
        await using var h = await AclApiHost.StartAsync(AclApiHost.Config());
        var index = h.Host.Service<StateStore>().Current.AclBootstrapIndex;
        Assert.NotEqual(0UL, index);
        await AgentTestHost.AssertError(await h.Put("/v1/acl/bootstrap", null, token: null), 403,
            $"Permission denied: ACL bootstrap no longer allowed (reset index: {index})");
    }
}
