using Consul.Core.Cluster;
using Consul.Core.Raft;

namespace Consul.Tests.Cluster;

public sealed class AutopilotAndFloodJoinTests
{
    private static RaftConfiguration Voters(int n) =>
        new(Enumerable.Range(1, n).Select(i => new ServerInfo($"id-s{i}", $"10.0.0.{i}:8300", true)));

    private static List<MemberInfo> Servers(int n, params int[] failed) =>
        Enumerable.Range(1, n).Select(i => Members.Server($"s{i}", $"10.0.0.{i}", $"id-s{i}") with
        {
            Status = failed.Contains(i) ? MemberInfo.StatusFailed : MemberInfo.StatusAlive,
        }).ToList();

    [Fact]
    public void One_dead_server_of_five_is_removed() =>
        Assert.Equal(["id-s5"], DeadServerCleanup.Removable(Voters(5), Servers(5, 5), "id-s1", 0).Select(s => s.Id));

    [Fact]
    public void A_dead_server_of_three_goes_as_raft_autopilot_allows_up_to_n_minus_1_over_2() =>
        Assert.Equal(["id-s3"], DeadServerCleanup.Removable(Voters(3), Servers(3, 3), "id-s1", 0).Select(s => s.Id));

    [Fact]
    public void Half_of_the_voters_dead_is_too_many_to_remove() =>
        Assert.Empty(DeadServerCleanup.Removable(Voters(4), Servers(4, 3, 4), "id-s1", 0));

    [Fact]
    public void Two_dead_of_five_are_removed_but_not_three()
    {
        Assert.Equal(2, DeadServerCleanup.Removable(Voters(5), Servers(5, 4, 5), "id-s1", 0).Count);
        Assert.Empty(DeadServerCleanup.Removable(Voters(5), Servers(5, 3, 4, 5), "id-s1", 0));
    }

    [Fact]
    public void Min_quorum_and_the_leader_itself_are_respected()
    {
        Assert.Empty(DeadServerCleanup.Removable(Voters(5), Servers(5, 5), "id-s1", 5));
        Assert.Empty(DeadServerCleanup.Removable(Voters(5), Servers(5, 1), "id-s1", 0));
    }

    [Fact]
    public void Flood_join_lists_servers_of_this_dc_missing_from_wan()
    {
        var lan = Servers(3).Append(Members.Client("c1", "10.0.0.9", "id-c1")).Append(Members.Server("x1", "10.9.0.1", "id-x1", dc: "dc2")).ToList();
        var wan = new List<MemberInfo> { Members.Server("s1.dc1", "10.0.0.1", "id-s1") };
        Assert.Equal(["10.0.0.2:8302", "10.0.0.3:8302"], WanFloodJoin.Missing(lan, wan, "dc1"));
    }
}
