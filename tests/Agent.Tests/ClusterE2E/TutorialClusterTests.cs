using System.Text.Json.Nodes;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// Consul's getting-started cluster as real processes: three servers with bootstrap_expect=3
/// and a client on 127.0.0.2–5; writes through the client, leader failover, and a killed
/// server that comes back with its data.
/// </summary>
public sealed class TutorialClusterTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    /// <summary>The bound for a first leader; generous for a loaded CI machine all the same.</summary>
    private static readonly TimeSpan FirstLeader = TimeSpan.FromSeconds(30);
    private static readonly string[] Servers = ["s1", "s2", "s3"];
    private static readonly Dictionary<string, string> Address = new()
    {
        ["s1"] = "127.0.0.2", ["s2"] = "127.0.0.3", ["s3"] = "127.0.0.4", ["c1"] = "127.0.0.5",
    };

    [Fact(Timeout = 240_000)]
    public async Task Three_servers_and_a_client_form_a_cluster_that_survives_losing_its_leader()
    {
        await using var cluster = new LocalCluster();
        cluster.StartServer("s1", Address["s1"], 3, Address["s2"]);
        cluster.StartServer("s2", Address["s2"], 3, Address["s1"]);
        cluster.StartServer("s3", Address["s3"], 3, Address["s1"]);
        cluster.StartClient("c1", Address["c1"], Address["s1"]);

        foreach (var name in Servers.Append("c1"))
            await cluster.WaitUntilAsync($"{name} knows a leader", FirstLeader, async () => (await cluster.LeaderAsync(name)).Length > 0);
        var leader = await cluster.LeaderAsync("s1");
        foreach (var name in Servers.Append("c1"))
            Assert.Equal(leader, await cluster.LeaderAsync(name));
        var peers = (await cluster.JsonAsync("s2", "/v1/status/peers"))!.AsArray().Select(p => (string)p!).Order().ToArray();
        Assert.Equal(["127.0.0.2:8300", "127.0.0.3:8300", "127.0.0.4:8300"], peers);

        // The leader registers every member with its serfHealth check.
        await cluster.WaitUntilAsync("all four nodes in the catalog", Settle, async () =>
            (await cluster.JsonAsync("s3", "/v1/catalog/nodes"))!.AsArray().Count == 4);
        await cluster.WaitUntilAsync("client serfHealth passing", Settle, async () => await SerfHealthAsync(cluster, "s1", "c1") == "passing");
        var members = (await cluster.JsonAsync("c1", "/v1/agent/members"))!.AsArray();
        Assert.Equal(4, members.Count(m => (int)m!["Status"]! == 1));
        Assert.Equal(3, members.Count(m => (string)m!["Tags"]!["role"]! == "consul"));
        Assert.Single(members, m => (string)m!["Tags"]!["role"]! == "node");

        // A write through one server is read through another.
        Assert.Equal((200, "true"), await cluster.PutAsync("s1", "/v1/kv/app/written-on-s1", "x"));
        Assert.Equal("x", await RawAsync(cluster, "s2", "/v1/kv/app/written-on-s1?raw"));

        // Writes through the client reach every server; the client reads its own write at once.
        Assert.Equal((200, "true"), await cluster.PutAsync("c1", "/v1/kv/app/config", "v1"));
        Assert.Equal("v1", await RawAsync(cluster, "c1", "/v1/kv/app/config?raw"));
        foreach (var name in Servers)
            Assert.Equal("v1", await RawAsync(cluster, name, "/v1/kv/app/config?raw&consistent"));

        // A user event fired on the client reaches every agent through gossip.
        var fired = (await cluster.PutAsync("c1", "/v1/event/fire/deploy", "build-42")).Body;
        var eventId = (string)System.Text.Json.Nodes.JsonNode.Parse(fired)!["ID"]!;
        foreach (var name in Servers)
            await cluster.WaitUntilAsync($"event on {name}", Settle, async () =>
                (await cluster.JsonAsync(name, "/v1/event/list?name=deploy"))!.AsArray().Any(e => (string)e!["ID"]! == eventId));

        // A service registered on the client agent reaches the catalog through anti-entropy.
        Assert.Equal(200, (await cluster.PutAsync("c1", "/v1/agent/service/register", """{"Name":"web","Port":8080}""")).Status);
        foreach (var name in Servers)
        {
            await cluster.WaitUntilAsync($"web in the catalog of {name}", Settle, async () =>
                (await cluster.JsonAsync(name, "/v1/catalog/service/web"))!.AsArray().Any(s => (string)s!["Node"]! == "c1"));
            Assert.Single((await cluster.JsonAsync(name, "/v1/health/service/web?passing"))!.AsArray());
            Assert.Equal(["127.0.0.5"], await DnsAsync(Address[name], "web.service.consul"));
        }

        // Kill the leader: the other two elect a new one, and the dead server's serfHealth goes critical.
        var leaderName = Servers.Single(n => leader == $"{Address[n]}:8300");
        await cluster.KillAsync(leaderName);
        var survivors = Servers.Where(n => n != leaderName).ToArray();
        await cluster.WaitUntilAsync("a new leader", Settle, async () =>
        {
            var seen = await Task.WhenAll(survivors.Select(cluster.LeaderAsync));
            return seen.All(l => l.Length > 0 && l != leader && l == seen[0]);
        });
        await cluster.WaitUntilAsync($"{leaderName} serfHealth critical", Settle, async () =>
            await SerfHealthAsync(cluster, survivors[0], leaderName) == "critical");
        var healthyWeb = (await cluster.JsonAsync(survivors[1], "/v1/health/service/web?passing"))!.AsArray();
        Assert.Single(healthyWeb);

        // Writes keep working through the client, and the killed server comes back with everything.
        await cluster.WaitUntilAsync("a write after failover", Settle, async () =>
            await cluster.PutAsync("c1", "/v1/kv/app/config", "v2") == (200, "true"));
        cluster.StartServer(leaderName, Address[leaderName], 3, Address[survivors[0]]);
        await cluster.WaitUntilAsync($"{leaderName} back and passing", Settle, async () =>
            await SerfHealthAsync(cluster, survivors[0], leaderName) == "passing");
        await cluster.WaitUntilAsync($"{leaderName} alive in members", Settle, async () =>
            (await cluster.JsonAsync("c1", "/v1/agent/members"))!.AsArray().Any(m => (string)m!["Name"]! == leaderName && (int)m["Status"]! == 1));
        await cluster.WaitUntilAsync($"{leaderName} caught up", Settle, async () =>
            await RawAsync(cluster, leaderName, "/v1/kv/app/config?raw&stale") == "v2");
        Assert.Equal(3, (await cluster.JsonAsync(leaderName, "/v1/status/peers"))!.AsArray().Count);

        // A paused follower (SIGSTOP) is seen failed, and alive again after SIGCONT.
        var current = await cluster.LeaderAsync(survivors[0]);
        var follower = Servers.First(n => current != $"{Address[n]}:8300");
        var observer = Servers.First(n => n != follower && current == $"{Address[n]}:8300");
        cluster.Pause(follower);
        await cluster.WaitUntilAsync($"{follower} failed while stopped", Settle, async () =>
            await SerfHealthAsync(cluster, observer, follower) == "critical");
        Assert.Equal((200, "true"), await cluster.PutAsync("c1", "/v1/kv/app/config", "v3"));
        cluster.Resume(follower);
        await cluster.WaitUntilAsync($"{follower} alive after SIGCONT", Settle, async () =>
            await SerfHealthAsync(cluster, observer, follower) == "passing");
        await cluster.WaitUntilAsync($"{follower} caught up after SIGCONT", Settle, async () =>
            await RawAsync(cluster, follower, "/v1/kv/app/config?raw&stale") == "v3");

        // A graceful leave of a server shrinks the Raft peers and deregisters it.
        Assert.Equal(200, (await cluster.PutAsync(follower, "/v1/agent/leave", "")).Status);
        await cluster.WaitUntilAsync("peers shrink to 2 after leave", Settle, async () =>
            (await cluster.JsonAsync(observer, "/v1/status/peers"))!.AsArray().Count == 2);
        await cluster.WaitUntilAsync($"{follower} deregistered", Settle, async () =>
            !(await cluster.JsonAsync(observer, "/v1/catalog/nodes"))!.AsArray().Any(n => (string)n!["Node"]! == follower));
        // The client hears of the leave by gossip, on its own schedule: "leaving" (2) first, then "left" (3).
        await cluster.WaitUntilAsync($"c1 sees {follower} left", Settle, async () =>
            (int)(await cluster.JsonAsync("c1", "/v1/agent/members"))!.AsArray().Single(m => (string)m!["Name"]! == follower)!["Status"]! == 3);
        Assert.Equal((200, "true"), await cluster.PutAsync("c1", "/v1/kv/app/config", "v4"));
    }

    private static async Task<string[]> DnsAsync(string server, string name)
    {
        var dns = new DnsClient.LookupClient(new DnsClient.LookupClientOptions(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(server), 8600))
        {
            UseCache = false, Retries = 1, Timeout = TimeSpan.FromSeconds(2),
        });
        var answer = await dns.QueryAsync(name, DnsClient.QueryType.A);
        return answer.Answers.ARecords().Select(a => a.Address.ToString()).ToArray();
    }

    private static async Task<string?> SerfHealthAsync(LocalCluster cluster, string askedAgent, string node)
    {
        var checks = (await cluster.JsonAsync(askedAgent, $"/v1/health/node/{node}"))!.AsArray();
        return checks.FirstOrDefault(c => (string)c!["CheckID"]! == "serfHealth")?["Status"]?.GetValue<string>();
    }

    private static async Task<string> RawAsync(LocalCluster cluster, string name, string path)
    {
        var (status, body) = await cluster.GetAsync(name, path);
        return status == 200 ? body : $"HTTP {status}: {body}";
    }
}
