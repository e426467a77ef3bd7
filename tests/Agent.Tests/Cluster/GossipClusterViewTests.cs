using Consul.Core.Cluster;
using Consul.Core.Raft;
using ClusterRaftStatus = Consul.Core.Cluster.RaftStatus;
using DriverRaftStatus = Consul.Core.Raft.RaftStatus;

namespace Consul.Tests.Cluster;

public sealed class GossipClusterViewTests
{
    private static MemberInfo Wan(string node, string dc) => Members.Server($"{node}.{dc}", "10.9.0.1", $"id-{node}-{dc}", dc: dc);

    private static GossipClusterView View(Func<IReadOnlyList<MemberInfo>> wan, Func<IReadOnlyList<MemberInfo>>? lan = null) =>
        new(lan ?? (() => []), wan, () => new ClusterRaftStatus(), "dc2");

    [Fact]
    public void Datacenters_are_own_first_then_sorted_and_distinct()
    {
        var view = View(() => [Wan("a", "dc3"), Wan("b", "dc1"), Wan("c", "dc2"), Wan("d", "dc1"), Wan("e", "dc10")]);
        Assert.Equal(["dc2", "dc1", "dc10", "dc3"], view.Datacenters());
    }

    [Fact]
    public void Own_datacenter_alone_when_the_wan_pool_is_empty()
    {
        Assert.Equal(["dc2"], View(() => []).Datacenters());
    }

    [Fact]
    public void Non_server_wan_entries_do_not_add_datacenters()
    {
        var stray = Members.Client("x", "10.9.0.9", "id-x", dc: "dc9");
        Assert.Equal(["dc2", "dc1"], View(() => [stray, Wan("a", "dc1")]).Datacenters());
    }

    [Fact]
    public void Datacenters_whose_servers_all_left_disappear_failed_ones_stay()
    {
        var view = View(() =>
        [
            Wan("a", "dc1") with { Status = MemberInfo.StatusLeft },
            Wan("b", "dc3") with { Status = MemberInfo.StatusFailed },
            Wan("c", "dc4") with { Status = MemberInfo.StatusLeft },
            Wan("d", "dc4"),
        ]);
        Assert.Equal(["dc2", "dc3", "dc4"], view.Datacenters());
    }

    [Fact]
    public void Members_and_raft_are_read_live_from_the_sources()
    {
        List<MemberInfo> lan = [Members.Client("web1", "10.0.0.7", "id-web1")];
        var raftCalls = 0;
        var view = new GossipClusterView(() => lan.ToList(), () => [Wan("a", "dc1")],
            () => new ClusterRaftStatus { Term = (ulong)++raftCalls }, "dc1");

        Assert.Single(view.LanMembers());
        lan.Add(Members.Client("web2", "10.0.0.8", "id-web2"));
        Assert.Equal(["web1", "web2"], view.LanMembers().Select(m => m.Name));
        Assert.Equal("a.dc1", view.WanMembers().Single().Name);
        Assert.Equal(1ul, view.Raft().Term);
        Assert.Equal(2ul, view.Raft().Term);
    }
}

public sealed class RaftStatusMappingTests
{
    private static readonly RaftConfiguration Config = new(
    [
        new ServerInfo("id-s1", "10.0.0.1:8300", true),
        new ServerInfo("id-s2", "10.0.0.2:8300", true),
        new ServerInfo("id-s3", "10.0.0.3:8300", false),
        new ServerInfo("id-gone", "10.0.0.4:8300", true),
    ]);

    private static readonly IReadOnlyList<MemberInfo> Lan =
    [
        Members.Server("s1", "10.0.0.1", "id-s1"),
        Members.Server("s2", "10.0.0.2", "id-s2"),
        // Found by address: its id tag is missing.
        Members.Server("s3", "10.0.0.3", "") ,
        Members.Client("web1", "10.0.0.7", "id-gone"),
    ];

    private static DriverRaftStatus Status(RaftRole role, string? leader) => new(
        "id-s1", "10.0.0.1:8300", role, 7, leader, leader is null ? null : "10.0.0.1:8300",
        CommitIndex: 100, AppliedIndex: 99, LastLogIndex: 101, LastSnapshotIndex: 0,
        LastContact: TimeSpan.FromMilliseconds(12), ElectionsStarted: 1, SnapshotsTaken: 0,
        Peers:
        [
            new RaftPeerLag("id-s1", "10.0.0.1:8300", true, 101, 0, null, "replicate"),
            new RaftPeerLag("id-s2", "10.0.0.2:8300", true, 95, 6, TimeSpan.FromMilliseconds(40), "replicate"),
        ],
        Error: null);

    [Fact]
    public void Leader_status_maps_with_servers_nodes_and_progress()
    {
        var r = RaftStatusMapping.From(Status(RaftRole.Leader, "id-s1"), Config, Lan);

        Assert.Equal("Leader", r.State);
        Assert.Equal(7ul, r.Term);
        Assert.Equal("id-s1", r.LeaderId);
        Assert.Equal("10.0.0.1:8300", r.LeaderAddress);
        Assert.Equal((100ul, 99ul, 101ul), (r.CommitIndex, r.AppliedIndex, r.LastLogIndex));
        Assert.Equal(TimeSpan.FromMilliseconds(12), r.LastContact);

        var byId = r.Servers.ToDictionary(s => s.ID);
        Assert.Equal(["id-gone", "id-s1", "id-s2", "id-s3"], r.Servers.Select(s => s.ID));
        Assert.Equal("s1", byId["id-s1"].Node);
        Assert.True(byId["id-s1"].Leader);
        Assert.Equal(101ul, byId["id-s1"].MatchIndex);
        Assert.Equal("s2", byId["id-s2"].Node);
        Assert.False(byId["id-s2"].Leader);
        Assert.Equal(95ul, byId["id-s2"].MatchIndex);
        Assert.Equal(TimeSpan.FromMilliseconds(40), byId["id-s2"].LastContact);
        Assert.Equal("3", byId["id-s2"].ProtocolVersion);
        Assert.Equal("s3", byId["id-s3"].Node);
        Assert.False(byId["id-s3"].Voter);
        // A client carrying the id is not a server: the seat's node is unknown.
        Assert.Equal(RaftStatusMapping.UnknownNode, byId["id-gone"].Node);
        Assert.Equal("unknown", byId["id-gone"].ProtocolVersion);
    }

    [Theory]
    [InlineData(RaftRole.Follower, "Follower")]
    [InlineData(RaftRole.Candidate, "Candidate")]
    [InlineData(RaftRole.PreCandidate, "Candidate")]
    [InlineData(RaftRole.Leader, "Leader")]
    public void State_names_are_hashicorp_rafts(RaftRole role, string name)
    {
        Assert.Equal(name, RaftStatusMapping.From(Status(role, null), Config, Lan).State);
    }

    [Fact]
    public void Without_a_leader_nobody_is_marked_leader()
    {
        var r = RaftStatusMapping.From(Status(RaftRole.Candidate, null), Config, Lan);
        Assert.Equal("", r.LeaderId);
        Assert.DoesNotContain(r.Servers, s => s.Leader);
    }

    [Fact]
    public void No_status_yet_still_lists_the_configuration()
    {
        var r = RaftStatusMapping.From(null, Config, Lan);
        Assert.Equal("Follower", r.State);
        Assert.Equal(4, r.Servers.Count);
        Assert.All(r.Servers, s => Assert.Equal(0ul, s.MatchIndex));
    }
}
