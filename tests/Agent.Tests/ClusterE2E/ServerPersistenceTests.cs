namespace Consul.Tests.ClusterE2E;

/// <summary>A server's acknowledged writes survive a crash (SIGKILL) and restart from its data dir.</summary>
public sealed class ServerPersistenceTests
{
    [Fact(Timeout = 120_000)]
    public async Task Acknowledged_writes_survive_kill_and_restart()
    {
        const string address = "127.0.0.6";
        await using var cluster = new LocalCluster();
        cluster.StartServer("p1", address, 0, "127.0.0.7", "-bootstrap");
        await cluster.WaitUntilAsync("a leader", TimeSpan.FromSeconds(60), async () => (await cluster.LeaderAsync("p1")).Length > 0);
        for (var i = 0; i < 20; i++)
            Assert.Equal((200, "true"), await cluster.PutAsync("p1", $"/v1/kv/durable/{i}", $"value-{i}"));
        var before = (await cluster.JsonAsync("p1", "/v1/kv/durable/19"))![0]!["ModifyIndex"]!.GetValue<ulong>();

        await cluster.KillAsync("p1");
        cluster.StartServer("p1", address, 0, "127.0.0.7", "-bootstrap");
        await cluster.WaitUntilAsync("a leader after restart", TimeSpan.FromSeconds(60), async () => (await cluster.LeaderAsync("p1")).Length > 0);
        var keys = (await cluster.JsonAsync("p1", "/v1/kv/durable/?keys"))!.AsArray();
        Assert.Equal(20, keys.Count);
        var after = (await cluster.JsonAsync("p1", "/v1/kv/durable/19"))![0]!;
        Assert.Equal(before, after["ModifyIndex"]!.GetValue<ulong>());
        Assert.Equal("value-19", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)after["Value"]!)));
    }
}
