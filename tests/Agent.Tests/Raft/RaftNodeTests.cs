using System.Diagnostics;
using System.Text;
using Consul.Core.Events;
using Consul.Core.Raft;
using Consul.Core.Raft.Storage;

namespace Consul.Tests.Raft;

public sealed class RaftNodeTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(15);

    [Fact(Timeout = 30_000)]
    public async Task Three_nodes_elect_replicate_and_apply_in_order()
    {
        await using var c = await TestCluster.StartAsync("a", "b", "c");
        for (var i = 0; i < 20; i++) await c.ProposeAsync("cmd" + i, T);
        await TestCluster.WaitUntilAsync(() => c.Machines.Values.All(m => m.Items.Count == 20), T, "all applied");
        foreach (var m in c.Machines.Values) Assert.Equal(Enumerable.Range(0, 20).Select(i => "cmd" + i), m.Items);
        var leader = c.Leader!;
        var status = leader.Status!;
        Assert.Equal(RaftRole.Leader, status.State);
        Assert.Equal(3, status.Peers.Count);
        Assert.True(status.CommitIndex >= 21);
        Assert.Contains(c.Events.Recent(), e => e is LeaderElected le && le.Leader == leader.Id);
    }

    [Fact(Timeout = 60_000)]
    public async Task Followers_learn_a_commit_soon_after_the_held_commit_notice_goes_out()
    {
        // Heartbeats only every second: a follower applying within a fraction of that learnt the
        // commit from the leader's commit notice, which the peer sender holds for EmptyAppendDelay.
        var c = new TestCluster(id => new RaftNodeOptions
        {
            Id = id, Address = id, BaseTick = TimeSpan.FromMilliseconds(10), HeartbeatTicks = 100, ElectionTicks = 150,
            EmptyAppendDelay = TimeSpan.FromMilliseconds(20),
        });
        await using var _ = c;
        var config = new RaftConfiguration(new[] { "a", "b", "c" }.Select(i => new ServerInfo(i, i, true)));
        foreach (var id in new[] { "a", "b", "c" }) c.Add(id).Bootstrap(config);
        foreach (var n in c.Nodes.Values) await n.StartAsync();
        await c.ProposeAsync("warm-up", T);
        for (var i = 0; i < 3; i++)
        {
            await c.ProposeAsync("cmd" + i, T);
            var sw = Stopwatch.StartNew();
            await TestCluster.WaitUntilAsync(() => c.Machines.Values.All(m => m.Items.Contains("cmd" + i)), T, "followers to apply cmd" + i);
            Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(400), $"followers applied cmd{i} only after {sw.ElapsedMilliseconds} ms");
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Follower_refuses_with_leader_hint_and_reads_work_on_leader()
    {
        await using var c = await TestCluster.StartAsync("a", "b", "c");
        await c.ProposeAsync("x", T);
        var leader = c.Leader!;
        var follower = c.Nodes.Values.First(n => !n.IsLeader);
        await TestCluster.WaitUntilAsync(() => follower.LeaderId == leader.Id, T, "follower to know the leader");
        var ex = await Assert.ThrowsAsync<NotLeaderException>(() => follower.ProposeAsync([1]));
        Assert.Equal(leader.Id, ex.LeaderId);
        Assert.Equal(leader.Address, ex.LeaderAddress);
        await Assert.ThrowsAsync<NotLeaderException>(() => follower.ReadIndexAsync());
        using var cts = new CancellationTokenSource(T);
        await leader.ReadIndexAsync(cts.Token);
        await leader.LeaseReadAsync(cts.Token);
    }

    [Fact(Timeout = 60_000)]
    public async Task New_leader_after_leader_dies_and_writes_continue()
    {
        await using var c = await TestCluster.StartAsync("a", "b", "c");
        await c.ProposeAsync("before", T);
        var old = c.Leader!;
        var sw = Stopwatch.StartNew();
        c.Network.Isolate(old.Id);
        await old.StopAsync();
        var next = await c.WaitForLeaderAsync(T, except: old.Id);
        Assert.NotEqual(old.Id, next.Id);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"failover took {sw.Elapsed}");
        await c.ProposeAsync("after", T);
        await TestCluster.WaitUntilAsync(() => c.Machines[next.Id].Items.Contains("after"), T, "write after failover");
    }

    [Fact(Timeout = 60_000)]
    public async Task Membership_add_voter_remove_and_transfer_leadership()
    {
        await using var c = await TestCluster.StartAsync("a", "b", "c");
        await c.ProposeAsync("one", T);
        var d = c.Add("d");
        await d.StartAsync();
        var leader = await c.WaitForLeaderAsync(T);
        using var cts = new CancellationTokenSource(T);
        await leader.AddVoterAsync("d", "d", cts.Token);
        Assert.True((await leader.GetConfigurationAsync()).IsVoter("d"));
        await TestCluster.WaitUntilAsync(() => c.Machines["d"].Items.Contains("one"), T, "new voter to catch up");
        Assert.Contains(c.Events.Recent(), e => e is PeerAdded { ServerId: "d", Voter: true });

        var target = c.Nodes.Keys.First(k => k != leader.Id);
        await leader.TransferLeadershipAsync(target, cts.Token);
        await TestCluster.WaitUntilAsync(() => c.Nodes[target].IsLeader, T, "transfer target to lead");

        var newLeader = c.Nodes[target];
        var victim = c.Nodes.Keys.First(k => k != target);
        await newLeader.RemoveServerAsync(victim, cts.Token);
        Assert.False((await newLeader.GetConfigurationAsync()).Contains(victim));
        Assert.Contains(c.Events.Recent(), e => e is PeerRemoved { ServerId: var id } && id == victim);
        await c.ProposeAsync("after-remove", T);
    }

    [Fact(Timeout = 60_000)]
    public async Task Lagging_server_catches_up_through_snapshot_install()
    {
        await using var c = new TestCluster(id => TestCluster.Options(id, snapshotThreshold: 20, trailing: 5));
        var config = new RaftConfiguration(new[] { "a", "b", "c" }.Select(i => new ServerInfo(i, i, true)));
        foreach (var id in new[] { "a", "b", "c" }) c.Add(id).Bootstrap(config);
        foreach (var n in c.Nodes.Values) await n.StartAsync();
        for (var i = 0; i < 60; i++) await c.ProposeAsync("v" + i, T);
        var leader = c.Leader!;
        await TestCluster.WaitUntilAsync(() => leader.Status!.LastSnapshotIndex > 0, T, "a snapshot");
        var d = c.Add("d");
        await d.StartAsync();
        using var cts = new CancellationTokenSource(T);
        await c.Leader!.AddNonVoterAsync("d", "d", cts.Token);
        await TestCluster.WaitUntilAsync(() => c.Machines["d"].Items.Count == 60, T, "snapshot install on the new server");
        Assert.Equal(c.Machines[leader.Id].Items, c.Machines["d"].Items);
        Assert.True(d.Status!.LastSnapshotIndex > 0);
    }

    [Fact(Timeout = 30_000)]
    public async Task Restart_on_the_same_data_dir_recovers_state()
    {
        using var dir = new TempDir();
        var config = new RaftConfiguration([new ServerInfo("solo", "solo", true)]);
        var net = new InMemoryRaftNetwork();
        var sm = new ListStateMachine();
        var opts = TestCluster.Options("solo", snapshotThreshold: 10, trailing: 3);
        await using (var node = new RaftNode(opts, new RaftStorage(dir.Path), new InMemoryRaftTransport(net, "solo"), sm))
        {
            Assert.True(node.Bootstrap(config));
            await node.StartAsync();
            await TestCluster.WaitUntilAsync(() => node.IsLeader, T, "single server to lead");
            for (var i = 0; i < 25; i++) await node.ProposeAsync(Encoding.UTF8.GetBytes("p" + i));
        }
        var sm2 = new ListStateMachine();
        await using var again = new RaftNode(opts, new RaftStorage(dir.Path), new InMemoryRaftTransport(net, "solo"), sm2);
        Assert.False(again.Bootstrap(config));
        await again.StartAsync();
        try { await TestCluster.WaitUntilAsync(() => again.IsLeader && sm2.Items.Count == 25, T, "recovery"); }
        catch (TimeoutException) { Assert.Fail($"not recovered: {again.Status} items {sm2.Items.Count}"); }
        Assert.Equal(sm.Items, sm2.Items);
        var r = await again.ProposeAsync(Encoding.UTF8.GetBytes("p25"));
        Assert.Equal(26, r.Result);
    }

    [Fact(Timeout = 30_000)]
    public async Task Full_disk_makes_the_server_refuse_writes()
    {
        using var dir = new TempDir();
        var failing = false;
        var storage = new RaftStorage(dir.Path, openWalForAppend: p => failing ? throw new IOException("No space left on device") : new FileStream(p, FileMode.Append, FileAccess.Write));
        var config = new RaftConfiguration([new ServerInfo("solo", "solo", true)]);
        var opts = TestCluster.Options("solo") ;
        var sm = new ListStateMachine();
        await using var node = new RaftNode(opts, storage, new InMemoryRaftTransport(new InMemoryRaftNetwork(), "solo"), sm);
        node.Bootstrap(config);
        await node.StartAsync();
        await TestCluster.WaitUntilAsync(() => node.IsLeader, T, "leader");
        await node.ProposeAsync([1]);
        // Force the WAL onto a new segment that cannot be created.
        failing = true;
        storage.Wal.Dispose();
        var ex = await Assert.ThrowsAsync<RaftStorageException>(() => node.ProposeAsync(Encoding.UTF8.GetBytes("lost")));
        Assert.Contains("No space left on device", ex.Message);
        await Assert.ThrowsAsync<RaftStorageException>(() => node.ProposeAsync([2]));
        Assert.DoesNotContain("lost", sm.Items);
        await TestCluster.WaitUntilAsync(() => node.Status?.Error is not null, T, "status to show the error");
    }
}
