using System.Text.Json.Nodes;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// ACLs across real processes (127.0.0.20–23), following Consul's tutorial: bootstrap, policies
/// and tokens made through a follower (servers without agent tokens forward with the
/// requester's token) are enforced on every server and on a client agent (which resolves them
/// from its replica), and keep working after the leader is killed.
/// </summary>
public sealed class AclClusterTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private static readonly string[] Servers = ["a1", "a2", "a3"];
    private static readonly Dictionary<string, string> Address = new()
    {
        ["a1"] = "127.0.0.20", ["a2"] = "127.0.0.21", ["a3"] = "127.0.0.22", ["ac"] = "127.0.0.23",
    };

    [Fact(Timeout = 240_000)]
    public async Task Tokens_made_on_one_server_are_enforced_on_every_agent_and_survive_failover()
    {
        await using var cluster = new LocalCluster();
        const string Acl = """
            acl {
              enabled = true
              default_policy = "deny"
            }
            """;
        var serverConfig = cluster.WriteConfig("acl.hcl", Acl);
        foreach (var s in Servers)
            cluster.StartServer(s, Address[s], 3, Address[s == "a1" ? "a2" : "a1"], $"-config-file={serverConfig}");
        foreach (var name in Servers)
            await cluster.WaitUntilAsync($"{name} knows a leader", Settle, async () => (await cluster.LeaderAsync(name)).Length > 0);

        // Consul's tutorial: bootstrap once (here through a follower, which forwards it), then make tokens.
        var leaderAddr = (await cluster.LeaderAsync("a1")).Split(':')[0];
        var follower = Servers.First(s => Address[s] != leaderAddr);
        var boot = await SendAsync(cluster, follower, HttpMethod.Put, "/v1/acl/bootstrap", null);
        Assert.True(boot.Status == 200, boot.Body + "\n" + cluster.LogTails());
        var root = (string)JsonNode.Parse(boot.Body)!["SecretID"]!;
        Assert.Equal(403, (await SendAsync(cluster, follower, HttpMethod.Put, "/v1/acl/bootstrap", null)).Status);

        var agentSecret = await TokenWithRulesAsync(cluster, follower, root, "agent",
            "node_prefix \"\" { policy = \"write\" } service_prefix \"\" { policy = \"read\" }");
        var appSecret = await TokenWithRulesAsync(cluster, follower, root, "app-writer", "key_prefix \"app/\" { policy = \"write\" }");

        // A client agent gets its agent token from its config, as in the tutorial.
        var clientConfig = cluster.WriteConfig("acl-client.hcl", Acl.TrimEnd().TrimEnd('}') + $$"""
              tokens { agent = "{{agentSecret}}" }
            }
            """);
        cluster.StartClient("ac", Address["ac"], Address["a1"], $"-config-file={clientConfig}");
        await cluster.WaitUntilAsync("the client accepts the app token", Settle, async () =>
            (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/x", appSecret, "v1")).Status == 200);

        // Enforced on the client and on every server, within the token's rules only.
        Assert.Equal(403, (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/other/x", appSecret, "v")).Status);
        Assert.Equal(403, (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/x", null, "v")).Status);
        foreach (var s in Servers)
        {
            Assert.Equal((200, "v1"), await SendAsync(cluster, s, HttpMethod.Get, "/v1/kv/app/x?raw&consistent", appSecret));
            Assert.Equal(403, (await SendAsync(cluster, s, HttpMethod.Get, "/v1/kv/app/x", null)).Status);
        }

        // The leader dies; the token still works through the survivors and the client.
        var leader = Address.First(a => a.Value == leaderAddr).Key;
        await cluster.KillAsync(leader);
        var survivor = Servers.First(s => s != leader);
        await cluster.WaitUntilAsync("a new leader", Settle, async () =>
        {
            var l = await cluster.LeaderAsync(survivor);
            return l.Length > 0 && !l.StartsWith(leaderAddr + ":", StringComparison.Ordinal);
        });
        await cluster.WaitUntilAsync("a write with the token after failover", Settle, async () =>
            (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/y", appSecret, "v2")).Status == 200);
        Assert.Equal((200, "v2"), await SendAsync(cluster, survivor, HttpMethod.Get, "/v1/kv/app/y?raw", appSecret));
        Assert.Equal(403, (await SendAsync(cluster, survivor, HttpMethod.Delete, "/v1/kv/app?recurse", null)).Status);
    }

    /// <summary>Creates a policy with the rules and a token holding it; returns the token's secret.</summary>
    private static async Task<string> TokenWithRulesAsync(LocalCluster cluster, string agent, string management, string name, string rules)
    {
        var policy = await SendAsync(cluster, agent, HttpMethod.Put, "/v1/acl/policy", management,
            new JsonObject { ["Name"] = name, ["Rules"] = rules }.ToJsonString());
        Assert.True(policy.Status == 200, policy.Body);
        var token = await SendAsync(cluster, agent, HttpMethod.Put, "/v1/acl/token", management,
            new JsonObject { ["Description"] = name, ["Policies"] = new JsonArray(new JsonObject { ["Name"] = name }) }.ToJsonString());
        Assert.True(token.Status == 200, token.Body);
        return (string)JsonNode.Parse(token.Body)!["SecretID"]!;
    }

    private static async Task<(int Status, string Body)> SendAsync(LocalCluster cluster, string agent, HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, cluster[agent].HttpAddr + path);
        if (token is not null) request.Headers.Add("X-Consul-Token", token);
        if (body is not null) request.Content = new StringContent(body);
        using var response = await cluster.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
