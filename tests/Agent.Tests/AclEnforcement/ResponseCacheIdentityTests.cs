using System.Net;
using System.Text.Json.Nodes;
using Consul.Agent.Acl;
using Consul.Agent.Http;

namespace Consul.Tests.AclEnforcement;

/// <summary>
/// The encoded-response cache must never hand one identity another's filtered body: not
/// for two tokens at the same state index, and not for tokenless requests across a change
/// of the agent's default token.
/// </summary>
public sealed class ResponseCacheIdentityTests
{
    private static async Task<List<string>> Nodes(AclTestAgent a, Caller caller, string? token = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "/v1/catalog/nodes");
        if (token is not null) req.Headers.Add("X-Consul-Token", token);
        else if (AclTestAgent.SecretOf(caller) is { } s) req.Headers.Add("X-Consul-Token", s);
        var r = await a.Host.Client.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray().Select(n => (string)n!["Node"]!).Order().ToList();
    }

    [Fact(Timeout = 60000)]
    public async Task Two_tokens_at_one_index_get_their_own_bodies()
    {
        await using var a = await AclTestAgent.StartAsync("deny");
        var index = a.Host.Service<Consul.Core.State.StateStore>().Current.LastIndex;
        var mgmt = await Nodes(a, Caller.Mgmt);
        var prefix = await Nodes(a, Caller.Prefix);
        var none = await Nodes(a, Caller.None);
        var mgmtAgain = await Nodes(a, Caller.Mgmt);
        Assert.Equal(index, a.Host.Service<Consul.Core.State.StateStore>().Current.LastIndex);
        Assert.Contains("hidden", mgmt);
        Assert.DoesNotContain("hidden", prefix);
        Assert.NotEmpty(prefix);
        Assert.Empty(none);
        Assert.Equal(mgmt, mgmtAgain);
        // The same token by another header is the same identity and the same answer.
        var byQuery = await a.Host.Client.GetAsync("/v1/catalog/nodes?token=" + AclTestAgent.PrefixSecret);
        var viaQuery = JsonNode.Parse(await byQuery.Content.ReadAsStringAsync())!.AsArray().Select(n => (string)n!["Node"]!).Order().ToList();
        Assert.Equal(prefix, viaQuery);
    }

    [Fact(Timeout = 60000)]
    public async Task Tokenless_requests_follow_the_default_token_and_its_header()
    {
        await using var a = await AclTestAgent.StartAsync("deny");
        var cache = a.Host.Service<ApiContext>().Responses;
        Assert.Empty(await Nodes(a, Caller.None));

        a.Tokens.Set(AgentTokens.DefaultKind, AclTestAgent.PrefixSecret);
        Assert.Equal(0, cache.Count);
        var asPrefix = await Nodes(a, Caller.None);
        Assert.Equal(await Nodes(a, Caller.Prefix), asPrefix);
        Assert.DoesNotContain("hidden", asPrefix);
        // With a default token the caller counts as authenticated: the header shows.
        var r = await a.Host.Client.GetAsync("/v1/catalog/nodes");
        Assert.Equal("true", r.Headers.GetValues("X-Consul-Results-Filtered-By-ACLs").Single());

        a.Tokens.Set(AgentTokens.DefaultKind, AclTestAgent.RootSecret);
        Assert.Contains("hidden", await Nodes(a, Caller.None));

        a.Tokens.Set(AgentTokens.DefaultKind, "");
        Assert.Empty(await Nodes(a, Caller.None));
        var anonymous = await a.Host.Client.GetAsync("/v1/catalog/nodes");
        Assert.False(anonymous.Headers.Contains("X-Consul-Results-Filtered-By-ACLs"));
    }

    [Fact(Timeout = 60000)]
    public async Task A_blocking_read_filters_what_wakes_it()
    {
        await using var a = await AclTestAgent.StartAsync("deny");
        var first = await a.Send(Caller.Prefix, "GET", "/v1/kv/?recurse");
        var index = first.Headers.GetValues("X-Consul-Index").Single();
        // A write under secret/ wakes the blocked read; the answer still hides secret/.
        var blocked = a.Send(Caller.Prefix, "GET", $"/v1/kv/?recurse&index={index}&wait=10s");
        await a.MustSucceed("PUT", "/v1/kv/secret/new", "x");
        var r = await blocked;
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var keys = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray().Select(n => (string)n!["Key"]!).ToList();
        Assert.Equal(["app/config"], keys);
        Assert.Equal("true", r.Headers.GetValues("X-Consul-Results-Filtered-By-ACLs").Single());
        Assert.NotEqual(index, r.Headers.GetValues("X-Consul-Index").Single());
    }
}

/// <summary>acl.enable_key_list_policy: recurse and keys listings need key:list on the prefix first.</summary>
public sealed class KeyListPolicyTests
{
    [Fact(Timeout = 60000)]
    public async Task Listing_needs_key_list_when_the_policy_is_enabled()
    {
        var config = Consul.Tests.Http.AgentTestHost.DefaultConfig() with
        {
            Acl = new Consul.Agent.Config.AclConfig
            {
                Enabled = true, DefaultPolicy = "deny", EnableKeyListPolicy = true,
                Tokens = new Consul.Agent.Config.AclTokensConfig { InitialManagement = AclTestAgent.RootSecret },
            },
        };
        await using var h = await Consul.Tests.Http.AgentTestHost.StartAsync(config);
        var store = h.Service<Consul.Core.State.StateStore>();
        await Consul.Tests.Http.AgentTestHost.WaitUntil(() => Task.FromResult(store.Current.AclSecrets.ContainsKey(AclTestAgent.RootSecret)),
            TimeSpan.FromSeconds(20), "initial management token");
        var put = new HttpRequestMessage(HttpMethod.Put, "/v1/kv/app/x") { Content = new StringContent("v") };
        put.Headers.Add("X-Consul-Token", AclTestAgent.RootSecret);
        Assert.Equal(HttpStatusCode.OK, (await h.Client.SendAsync(put)).StatusCode);

        const string denied = "Permission denied: anonymous token lacks permission 'key:list' on \"app/\". The anonymous token is used implicitly when a request does not specify a token.";
        await Consul.Tests.Http.AgentTestHost.AssertError(await h.Get("/v1/kv/app/?recurse"), 403, denied);
        await Consul.Tests.Http.AgentTestHost.AssertError(await h.Get("/v1/kv/app/?keys"), 403, denied);
        var asRoot = await h.Get("/v1/kv/app/?keys&token=" + AclTestAgent.RootSecret);
        Assert.Equal(HttpStatusCode.OK, asRoot.StatusCode);
    }
}
