using System.Text;
using Consul.Core.Raft;

namespace Consul.Tests.Raft;

public sealed class RaftTransportTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(20);

    [Fact]
    public void Codec_round_trips_every_field()
    {
        var config = new RaftConfiguration([new ServerInfo("a", "127.0.0.1:8300", true), new ServerInfo("b", "127.0.0.2:8300", false)]);
        var m = new RaftMessage
        {
            Type = MessageType.InstallSnapshot, From = "a", To = "b", Term = 9, LogTerm = 8, Index = 7, Commit = 6,
            Reject = true, RejectHint = 5, Context = 4, LeaseStamp = 3, Transfer = true,
            Entries = [new LogEntry(1, 2, EntryType.Configuration, [1, 2, 3])],
            Snapshot = new SnapshotMeta(100, 7, config, 50), SnapshotData = [9, 9],
        };
        var d = RaftMessageCodec.Decode(RaftMessageCodec.Encode(m, includeSnapshotData: true));
        Assert.Equal(m.ToString(), d.ToString());
        Assert.Equal((m.Context, m.LeaseStamp, m.Transfer), (d.Context, d.LeaseStamp, d.Transfer));
        Assert.Equal(m.Entries[0].Data, d.Entries[0].Data);
        Assert.Equal(m.Snapshot, d.Snapshot);
        Assert.Equal(m.SnapshotData, d.SnapshotData);
        Assert.Null(RaftMessageCodec.Decode(RaftMessageCodec.Encode(m)).SnapshotData);
    }

    /// <summary>Both transports the agent has: everything over gRPC, or the TCP stream with snapshots over gRPC.</summary>
    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cluster_replicates_and_streams_snapshots_in_chunks(bool tcp)
    {
        var servers = new List<RaftServerHost>();
        var nodes = new List<RaftNode>();
        var machines = new List<ListStateMachine>();
        try
        {
            for (var i = 0; i < 4; i++) servers.Add(await RaftServerHost.StartAsync());
            var config = new RaftConfiguration(servers.Take(3).Select((s, i) => new ServerInfo("s" + i, s.Address, true)));
            for (var i = 0; i < 4; i++)
            {
                var sm = new ListStateMachine();
                var opts = new RaftNodeOptions
                {
                    Id = "s" + i, Address = servers[i].Address, BaseTick = TimeSpan.FromMilliseconds(20),
                    SnapshotThreshold = 10, TrailingLogs = 2,
                };
                var node = new RaftNode(opts, new InMemoryRaftStorage(), tcp ? servers[i].Tcp : servers[i].Grpc, sm);
                if (i < 3) node.Bootstrap(config);
                await node.StartAsync();
                nodes.Add(node);
                machines.Add(sm);
            }
            RaftNode? leader = null;
            await TestCluster.WaitUntilAsync(() => (leader = nodes.FirstOrDefault(n => n.IsLeader)) is not null, T, "leader");
            for (var i = 0; i < 30; i++)
            {
                using var cts = new CancellationTokenSource(T);
                await leader!.ProposeAsync(Encoding.UTF8.GetBytes("g" + i), cts.Token);
            }
            await TestCluster.WaitUntilAsync(() => machines.Take(3).All(m => m.Items.Count == 30), T, "replication");
            using (var cts = new CancellationTokenSource(T))
            {
                await leader!.ReadIndexAsync(cts.Token);
                // The fourth server joins late: its log is compacted away on the leader, so it gets a chunked snapshot.
                await leader.AddNonVoterAsync("s3", servers[3].Address, cts.Token);
            }
            await TestCluster.WaitUntilAsync(() => machines[3].Items.Count == 30, T, "chunked snapshot install over gRPC");
            Assert.Equal(machines[0].Items, machines[3].Items);
            Assert.True(nodes[3].Status!.LastSnapshotIndex > 0);
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
            foreach (var s in servers) await s.DisposeAsync();
        }
    }
}
