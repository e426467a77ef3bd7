using System.Text.Json.Nodes;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// ACLs across real processes (127.0.0.20–23): tokens and policies written through one server
/// are enforced on every server and on a client agent (which resolves them from its replica),
/// and keep working after the leader is killed.
/// </summary>
public sealed class AclClusterTests
{
    private const string Root = "9d4f3c2b-5a6e-4f70-8a1b-2c3d4e5f6a7b";
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
        var acl = cluster.WriteConfig("acl.hcl", $$"""
            acl {
              enabled = true
              default_policy = "deny"
              tokens {
                initial_management = "{{Root}}"
                agent = "{{Root}}"
              }
            }
            """);
        foreach (var s in Servers)
            cluster.StartServer(s, Address[s], 3, Address[s == "a1" ? "a2" : "a1"], $"-config-file={acl}");
        cluster.StartClient("ac", Address["ac"], Address["a1"], $"-config-file={acl}");

        foreach (var name in Servers.Append("ac"))
            await cluster.WaitUntilAsync($"{name} knows a leader", Settle, async () => (await cluster.LeaderAsync(name)).Length > 0);
        // The leader writes the initial management token; every agent sees it once replicated.
        foreach (var name in Servers.Append("ac"))
            await cluster.WaitUntilAsync($"{name} accepts the management token", Settle, async () =>
                (await SendAsync(cluster, name, HttpMethod.Get, "/v1/acl/token/self", Root)).Status == 200);

        // Anonymous requests are denied under default_policy deny.
        Assert.Equal(403, (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/x", null, "v")).Status);
        Assert.Equal(403, (await SendAsync(cluster, "a2", HttpMethod.Get, "/v1/kv/app/x", null)).Status);

        // A policy and token made on one server...
        var policy = await SendAsync(cluster, "a1", HttpMethod.Put, "/v1/acl/policy", Root,
            """{"Name":"app-writer","Rules":"key_prefix \"app/\" { policy = \"write\" }"}""");
        Assert.True(policy.Status == 200, policy.Body + "\n" + cluster.LogTails());
        var created = await SendAsync(cluster, "a1", HttpMethod.Put, "/v1/acl/token", Root,
            """{"Description":"app","Policies":[{"Name":"app-writer"}]}""");
        Assert.True(created.Status == 200, created.Body);
        var secret = (string)JsonNode.Parse(created.Body)!["SecretID"]!;

        // ...work on the client and on the other servers, within their rules only.
        await cluster.WaitUntilAsync("the client accepts the new token", Settle, async () =>
            (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/x", secret, "v1")).Status == 200);
        Assert.Equal(403, (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/other/x", secret, "v")).Status);
        var read = await SendAsync(cluster, "a3", HttpMethod.Get, "/v1/kv/app/x?raw&consistent", secret);
        Assert.Equal((200, "v1"), read);

        // The leader dies; the token still works through the survivors and the client.
        var leaderAddr = (await cluster.LeaderAsync("a2")).Split(':')[0];
        var leader = Address.First(a => a.Value == leaderAddr).Key;
        await cluster.KillAsync(leader);
        var survivor = Servers.First(s => s != leader);
        await cluster.WaitUntilAsync("a new leader", Settle, async () =>
        {
            var l = await cluster.LeaderAsync(survivor);
            return l.Length > 0 && !l.StartsWith(leaderAddr + ":", StringComparison.Ordinal);
        });
        await cluster.WaitUntilAsync("a write with the token after failover", Settle, async () =>
            (await SendAsync(cluster, "ac", HttpMethod.Put, "/v1/kv/app/y", secret, "v2")).Status == 200);
        Assert.Equal((200, "v2"), await SendAsync(cluster, survivor, HttpMethod.Get, "/v1/kv/app/y?raw", secret));
        Assert.Equal(403, (await SendAsync(cluster, survivor, HttpMethod.Delete, "/v1/kv/app?recurse", null)).Status);
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
