using System.Diagnostics;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Raft;
using Consul.Core.State;
using Consul.Tests.Raft;

namespace Consul.Tests.Cluster;

/// <summary>Real StateMachines behind in-process Raft servers: every server, a server that joins
/// late from a snapshot, and a client-style replica fed by one server's hooks all end byte-identical.</summary>
public sealed class RaftFsmClusterTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 90_000)]
    public async Task Servers_a_late_joiner_and_a_fed_replica_converge_on_the_leaders_state()
    {
        await using var c = new FsmCluster();
        var config = new RaftConfiguration(new[] { "a", "b", "c" }.Select(i => new ServerInfo(i, i, true)));
        foreach (var id in new[] { "a", "b", "c" }) c.Add(id).Node.Bootstrap(config);

        // A client agent's replica: fed only by server a's Applied/Restored hooks.
        var replica = RichState.NewMachine();
        var feed = c.Servers["a"].Fsm;
        feed.Applied += (index, bytes) => replica.Apply(index, bytes.Span);
        feed.Restored += snapshot => replica.Restore(snapshot);
        foreach (var s in c.Servers.Values) await s.Node.StartAsync();

        // Catalog, KV, sessions, locks and txns, with the proposer getting the state machine's answers.
        var script = RichState.Script().ToList();
        var results = new List<ApplyResult>();
        foreach (var command in script) results.Add(await c.ProposeAsync(command));
        var local = RichState.NewMachine();
        Assert.Equal(RichState.ApplyAll(local, script).Select(r => r.Error), results.Select(r => r.Error));
        Assert.Contains(results, r => r.Error == "Must provide node");

        var leader = await c.WaitForLeaderAsync();
        await leader.SnapshotNowAsync();
        await TestCluster.WaitUntilAsync(() => leader.Status!.LastSnapshotIndex > 0, T, "the forced snapshot");
        // Entries past the snapshot; the trailing log is short, so a new server needs the snapshot.
        foreach (var command in RandomCommands.Generate(seed: 11, count: 30)) await c.ProposeAsync(command);

        var d = c.Add("d");
        var dRestores = 0;
        d.Fsm.Restored += _ => dRestores++;
        // A second replica fed by the late server: it starts from d's snapshot, then d's applies.
        var lateReplica = RichState.NewMachine();
        d.Fsm.Restored += snapshot => lateReplica.Restore(snapshot);
        d.Fsm.Applied += (index, bytes) => lateReplica.Apply(index, bytes.Span);
        await d.Node.StartAsync();
        using (var cts = new CancellationTokenSource(T))
            await (await c.WaitForLeaderAsync()).AddVoterAsync("d", "d", cts.Token);
        foreach (var command in RandomCommands.Generate(seed: 12, count: 20)) await c.ProposeAsync(command);

        await TestCluster.WaitUntilAsync(() => c.AllEqual(replica, lateReplica), T, "every server and both replicas to match the leader");
        Assert.True(dRestores >= 1, "the late server should have been brought up from a snapshot");
        Assert.True(d.Node.Status!.LastSnapshotIndex > 0);
        var state = c.Servers["d"].Fsm.StateMachine.Store.Current;
        Assert.True(state.Nodes.ContainsKey("node-a") && state.KV.ContainsKey("txn/one") && state.Sessions.ContainsKey(RichState.S1));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_restarted_on_its_data_dir_recovers_the_state_from_snapshot_and_log()
    {
        using var dir = new TempDir();
        var config = new RaftConfiguration([new ServerInfo("solo", "solo", true)]);
        var options = TestCluster.Options("solo", snapshotThreshold: 100_000, trailing: 4);
        var net = new InMemoryRaftNetwork();
        byte[] before;
        var first = new RaftFsm(RichState.NewMachine());
        await using (var node = new RaftNode(options, new Core.Raft.Storage.RaftStorage(dir.Path), new InMemoryRaftTransport(net, "solo"), first))
        {
            node.Bootstrap(config);
            await node.StartAsync();
            await TestCluster.WaitUntilAsync(() => node.IsLeader, T, "the single server to lead");
            foreach (var command in RichState.Script()) await node.ProposeAsync(CommandCodec.Encode(command));
            await node.SnapshotNowAsync();
            foreach (var command in RandomCommands.Generate(seed: 21, count: 40)) await node.ProposeAsync(CommandCodec.Encode(command));
            before = StateSnapshotCodec.ToBytes(first.StateMachine.Store.Current);
        }

        var second = new RaftFsm(RichState.NewMachine());
        var restored = 0;
        second.Restored += _ => restored++;
        await using var again = new RaftNode(options, new Core.Raft.Storage.RaftStorage(dir.Path), new InMemoryRaftTransport(net, "solo"), second);
        await again.StartAsync();
        await TestCluster.WaitUntilAsync(
            () => StateSnapshotCodec.ToBytes(second.StateMachine.Store.Current).AsSpan().SequenceEqual(before), T, "the restarted server to recover");
        Assert.Equal(1, restored);
    }

    private sealed record Server(RaftNode Node, RaftFsm Fsm);

    private sealed class FsmCluster : IAsyncDisposable
    {
        private readonly InMemoryRaftNetwork _network = new();
        public Dictionary<string, Server> Servers { get; } = new();

        public Server Add(string id)
        {
            var fsm = new RaftFsm(RichState.NewMachine(TimeProvider.System));
            var node = new RaftNode(TestCluster.Options(id, snapshotThreshold: 100_000, trailing: 4), new InMemoryRaftStorage(),
                new InMemoryRaftTransport(_network, id), fsm, events: new EventStream(), random: new Random(id[0]));
            return Servers[id] = new Server(node, fsm);
        }

        public async Task<RaftNode> WaitForLeaderAsync()
        {
            RaftNode? leader = null;
            await TestCluster.WaitUntilAsync(() => (leader = Servers.Values.Select(s => s.Node).FirstOrDefault(n => n.IsLeader)) is not null, T, "a leader");
            return leader!;
        }

        /// <summary>Proposes at the leader, retrying across leader changes, and returns the state machine's result.</summary>
        public async Task<ApplyResult> ProposeAsync(StateCommand command)
        {
            var bytes = CommandCodec.Encode(command);
            var sw = Stopwatch.StartNew();
            while (true)
            {
                var leader = await WaitForLeaderAsync();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    return Assert.IsType<ApplyResult>((await leader.ProposeAsync(bytes, cts.Token)).Result);
                }
                catch (Exception e) when (e is NotLeaderException or OperationCanceledException && sw.Elapsed < T) { }
            }
        }

        /// <summary>Every server and the replica hold exactly the leader's state, and the leader has applied everything committed.</summary>
        public bool AllEqual(params StateMachine[] replicas)
        {
            var leader = Servers.Values.FirstOrDefault(s => s.Node.IsLeader);
            if (leader?.Node.Status is not { } status || status.AppliedIndex < status.CommitIndex) return false;
            var expected = StateSnapshotCodec.ToBytes(leader.Fsm.StateMachine.Store.Current);
            return Servers.Values.All(s => StateSnapshotCodec.ToBytes(s.Fsm.StateMachine.Store.Current).AsSpan().SequenceEqual(expected))
                && replicas.All(r => StateSnapshotCodec.ToBytes(r.Store.Current).AsSpan().SequenceEqual(expected));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var s in Servers.Values) await s.Node.DisposeAsync();
        }
    }
}
