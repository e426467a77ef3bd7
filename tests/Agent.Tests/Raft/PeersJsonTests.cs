using Consul.Core.Raft;
using Consul.Core.Raft.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Tests.Raft;

public sealed class PeersJsonTests
{
    [Fact]
    public void Protocol_3_form_keeps_ids_and_non_voters()
    {
        var c = PeersJson.Parse("""[{"id":"a","address":"10.0.0.1:8300","non_voter":false},{"id":"b","address":"10.0.0.2:8300","non_voter":true}]""");
        Assert.Equal([new ServerInfo("a", "10.0.0.1:8300", true), new ServerInfo("b", "10.0.0.2:8300", false)], c.Servers);
    }

    [Fact]
    public void Old_form_uses_addresses_as_ids() =>
        Assert.Equal([new ServerInfo("10.0.0.1:8300", "10.0.0.1:8300", true)], PeersJson.Parse("""["10.0.0.1:8300"]""").Servers);

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("""[{"id":"a"}]""")]
    [InlineData("""[{"id":"a","address":"x","non_voter":true}]""")]
    public void Bad_files_are_refused(string json) => Assert.ThrowsAny<FormatException>(() => PeersJson.Parse(json));

    [Fact(Timeout = 30_000)]
    public async Task A_lone_survivor_recovers_with_peers_json_and_leads_alone()
    {
        using var dir = new TempDir();
        // A three-server configuration of which only "a" survives: it can never win an election.
        using (var storage = new RaftStorage(dir.Path))
            storage.Bootstrap(new RaftConfiguration([new ServerInfo("a", "a", true), new ServerInfo("b", "b", true), new ServerInfo("c", "c", true)]));
        File.WriteAllText(Path.Combine(dir.Path, "raft", PeersJson.FileName), """[{"id":"a","address":"a","non_voter":false}]""");

        var recovered = new RaftStorage(dir.Path);
        Assert.True(PeersJson.RecoverIfPresent(dir.Path, recovered, NullLogger.Instance));
        Assert.False(File.Exists(Path.Combine(dir.Path, "raft", PeersJson.FileName)));

        await using var cluster = new TestCluster();
        var node = cluster.Add("a", recovered);
        await node.StartAsync();
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([new ServerInfo("a", "a", true)], (await node.GetConfigurationAsync()).Servers);
        Assert.Equal(1, (int)(await node.ProposeAsync("x"u8.ToArray())).Result!);
    }
}
