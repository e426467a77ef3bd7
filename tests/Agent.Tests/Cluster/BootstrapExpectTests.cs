using Consul.Core.Cluster;

namespace Consul.Tests.Cluster;

public sealed class BootstrapExpectTests
{
    private static MemberInfo S(int n, int expect = 3, Dictionary<string, string>? extra = null, string dc = "dc1") =>
        Members.Server($"s{n}", $"10.0.0.{n}", $"id-s{n}", dc: dc, expect: expect, extra: extra);

    [Fact]
    public void Waits_until_expect_servers_are_alive()
    {
        var d = BootstrapExpect.Decide([S(1), S(2), Members.Client("web", "10.0.0.9", "id-web")], "dc1", 3, "id-s1", raftHasState: false);
        Assert.Equal(BootstrapOutcome.Wait, d.Outcome);
        Assert.Null(d.Configuration);
    }

    [Fact]
    public void Bootstraps_all_alive_servers_as_voters_at_their_rpc_address()
    {
        var d = BootstrapExpect.Decide([S(1), S(2), S(3)], "dc1", 3, "id-s1", raftHasState: false);

        Assert.Equal(BootstrapOutcome.Bootstrap, d.Outcome);
        var servers = d.Configuration!.Servers;
        Assert.Equal(["id-s1", "id-s2", "id-s3"], servers.Select(s => s.Id));
        Assert.Equal(["10.0.0.1:8300", "10.0.0.2:8300", "10.0.0.3:8300"], servers.Select(s => s.Address));
        Assert.All(servers, s => Assert.True(s.Voter));
    }

    [Fact]
    public void Every_server_computes_the_same_configuration()
    {
        MemberInfo[] members = [S(3), S(1), S(4), S(2)];
        var a = BootstrapExpect.Decide(members, "dc1", 3, "id-s1", false).Configuration;
        var b = BootstrapExpect.Decide(members.Reverse().ToArray(), "dc1", 3, "id-s4", false).Configuration;
        var c = BootstrapExpect.Decide([members[2], members[0], members[3], members[1]], "dc1", 3, "id-s2", false).Configuration;

        Assert.NotNull(a);
        Assert.Equal(a, b);
        Assert.Equal(a, c);
        Assert.Equal(4, a.Servers.Count);
    }

    [Fact]
    public void Existing_raft_state_ends_bootstrap_mode()
    {
        var d = BootstrapExpect.Decide([S(1), S(2), S(3)], "dc1", 3, "id-s1", raftHasState: true);
        Assert.Equal(BootstrapOutcome.AlreadyBootstrapped, d.Outcome);
        Assert.Null(d.Configuration);
    }

    [Fact]
    public void Conflicting_expect_value_refuses()
    {
        var d = BootstrapExpect.Decide([S(1), S(2), S(3, expect: 5)], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Conflict, d.Outcome);
        Assert.Null(d.Configuration);
        Assert.Contains("conflicting expect value", d.Reason);
    }

    [Fact]
    public void Member_in_bootstrap_mode_refuses()
    {
        var d = BootstrapExpect.Decide([S(1), S(2), S(3, expect: 0, extra: new() { ["bootstrap"] = "1" })], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Conflict, d.Outcome);
        Assert.Contains("has bootstrap mode", d.Reason);
    }

    [Fact]
    public void Members_without_expect_tag_still_count()
    {
        var d = BootstrapExpect.Decide([S(1), S(2, expect: 0), S(3, expect: 0)], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Bootstrap, d.Outcome);
    }

    [Fact]
    public void Other_datacenters_and_dead_servers_do_not_count()
    {
        var d = BootstrapExpect.Decide(
            [S(1), S(2), S(3, dc: "dc2"), S(4) with { Status = MemberInfo.StatusFailed }, S(5) with { Status = MemberInfo.StatusLeft }],
            "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Wait, d.Outcome);

        // A conflicting expect value in another datacenter is none of our business.
        var ok = BootstrapExpect.Decide([S(1), S(2), S(3), S(9, expect: 5, dc: "dc2")], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Bootstrap, ok.Outcome);
        Assert.DoesNotContain(ok.Configuration!.Servers, s => s.Id == "id-s9");
    }

    [Fact]
    public void Read_replicas_join_as_non_voters_and_do_not_count()
    {
        var rr = S(4, extra: new() { ["read_replica"] = "1" });
        Assert.Equal(BootstrapOutcome.Wait, BootstrapExpect.Decide([S(1), S(2), rr], "dc1", 3, "id-s1", false).Outcome);

        var d = BootstrapExpect.Decide([S(1), S(2), S(3), rr], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Bootstrap, d.Outcome);
        Assert.False(d.Configuration!.Find("id-s4")!.Voter);
        Assert.Equal(3, d.Configuration.VoterCount);

        Assert.Equal(BootstrapOutcome.Wait, BootstrapExpect.Decide([S(1), S(2), S(3), rr], "dc1", 3, "id-s4", false, selfReadReplica: true).Outcome);
    }

    [Fact]
    public void Waits_while_this_server_is_not_among_the_members()
    {
        var d = BootstrapExpect.Decide([S(2), S(3), S(4)], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Wait, d.Outcome);
    }

    [Fact]
    public void Duplicate_node_ids_refuse()
    {
        var twin = Members.Server("s9", "10.0.0.9", "id-s2", expect: 3);
        var d = BootstrapExpect.Decide([S(1), S(2), twin], "dc1", 3, "id-s1", false);
        Assert.Equal(BootstrapOutcome.Conflict, d.Outcome);
    }

    [Fact]
    public void Expect_zero_never_bootstraps()
    {
        Assert.Equal(BootstrapOutcome.Wait, BootstrapExpect.Decide([S(1, expect: 0)], "dc1", 0, "id-s1", false).Outcome);
    }
}
