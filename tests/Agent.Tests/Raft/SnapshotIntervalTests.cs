using Consul.Core.Raft;

namespace Consul.Tests.Raft;

/// <summary>raft_snapshot_interval: snapshots are considered only every interval (staggered), not after every apply.</summary>
public sealed class SnapshotIntervalTests
{
    private static async Task<(TestCluster Cluster, RaftNode Node)> SingleNodeAsync(TimeSpan interval)
    {
        var cluster = new TestCluster(id => new RaftNodeOptions
        {
            Id = id, Address = id, BaseTick = TimeSpan.FromMilliseconds(20), SnapshotThreshold = 5, TrailingLogs = 2, SnapshotInterval = interval,
        });
        var node = cluster.Add("n1");
        node.Bootstrap(new RaftConfiguration([new ServerInfo("n1", "n1", true)]));
        await node.StartAsync();
        await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 20; i++) await cluster.ProposeAsync("c" + i, TimeSpan.FromSeconds(20));
        return (cluster, node);
    }

    [Fact(Timeout = 60_000)]
    public async Task Past_the_threshold_nothing_is_taken_before_the_interval()
    {
        var (cluster, node) = await SingleNodeAsync(TimeSpan.FromHours(1));
        await using var _ = cluster;
        // A read-index round makes the loop run Readies after every apply has happened.
        await node.ReadIndexAsync();
        Assert.Equal(0UL, node.Status!.LastSnapshotIndex);
    }

    [Fact(Timeout = 60_000)]
    public async Task Once_the_interval_has_passed_the_snapshot_follows()
    {
        var (cluster, node) = await SingleNodeAsync(TimeSpan.FromMilliseconds(200));
        await using var _ = cluster;
        await TestCluster.WaitUntilAsync(() => node.Status!.LastSnapshotIndex >= 15, TimeSpan.FromSeconds(20), "a snapshot");
    }
}
