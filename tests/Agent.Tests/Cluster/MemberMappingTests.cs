using System.Net;
using Consul.Core.Cluster;
using Consul.Core.Gossip.Serf;

namespace Consul.Tests.Cluster;

public sealed class MemberMappingTests
{
    private static Member SerfMember(MemberStatus status, IReadOnlyDictionary<string, string>? tags = null) =>
        new("node1", IPAddress.Parse("10.0.0.5"), 8301, tags ?? new Dictionary<string, string> { ["role"] = "node", ["dc"] = "dc1" },
            status, 1, 5, 2, 2, 5, 4);

    [Fact]
    public void Serf_member_maps_to_api_member()
    {
        var info = MemberMapping.ToMemberInfo(SerfMember(MemberStatus.Alive));

        Assert.Equal("node1", info.Name);
        Assert.Equal("10.0.0.5", info.Addr);
        Assert.Equal(8301, info.Port);
        Assert.Equal("node", info.Tags["role"]);
        Assert.Equal(MemberInfo.StatusAlive, info.Status);
        Assert.Equal((1, 5, 2), (info.ProtocolMin, info.ProtocolMax, info.ProtocolCur));
        Assert.Equal((2, 5, 4), (info.DelegateMin, info.DelegateMax, info.DelegateCur));
    }

    [Theory]
    [InlineData(MemberStatus.None, 0, "none")]
    [InlineData(MemberStatus.Alive, 1, "alive")]
    [InlineData(MemberStatus.Leaving, 2, "leaving")]
    [InlineData(MemberStatus.Left, 3, "left")]
    [InlineData(MemberStatus.Failed, 4, "failed")]
    public void Status_codes_are_serfs(MemberStatus status, int code, string text)
    {
        var info = MemberMapping.ToMemberInfo(SerfMember(status));
        Assert.Equal(code, info.Status);
        Assert.Equal(text, info.StatusText);
    }

    [Fact]
    public void Tags_are_copied_not_shared()
    {
        var tags = new Dictionary<string, string> { ["role"] = "node" };
        var info = MemberMapping.ToMemberInfo(SerfMember(MemberStatus.Alive, tags));
        tags["role"] = "consul";
        Assert.Equal("node", info.Tags["role"]);
    }

    [Fact]
    public void Reap_event_carries_the_reap_status_other_events_the_members()
    {
        var m = SerfMember(MemberStatus.Failed);
        Assert.Equal(MemberMapping.StatusReap, MemberMapping.ForReconcile(new MemberEvent(MemberEventType.Reap, m)).Status);
        Assert.Equal(MemberInfo.StatusFailed, MemberMapping.ForReconcile(new MemberEvent(MemberEventType.Failed, m)).Status);
        Assert.Equal(MemberInfo.StatusLeft, MemberMapping.ForReconcile(new MemberEvent(MemberEventType.Leave, SerfMember(MemberStatus.Left))).Status);
    }

    [Fact]
    public void Server_tags_parse_like_consuls_IsConsulServer()
    {
        var m = Members.Server("s1.dc1", "10.0.0.1", "id-s1", expect: 3) with { Status = MemberInfo.StatusFailed };
        var p = ServerParts.Parse(m)!;

        Assert.Equal("s1.dc1", p.Name);
        Assert.Equal("s1", p.ShortName);
        Assert.Equal("id-s1", p.Id);
        Assert.Equal("dc1", p.Datacenter);
        Assert.Equal("", p.Segment);
        Assert.Equal(8300, p.Port);
        Assert.Equal("10.0.0.1:8300", p.RpcAddress);
        Assert.Equal(8301, p.LanJoinPort);
        Assert.Equal(8302, p.WanJoinPort);
        Assert.Equal(3, p.Expect);
        Assert.False(p.Bootstrap);
        Assert.False(p.ReadReplica);
        Assert.Equal("1.21.0", p.Build);
        Assert.Equal(2, p.Version);
        Assert.Equal(3, p.RaftVersion);
        Assert.Equal(MemberInfo.StatusFailed, p.Status);
    }

    [Theory]
    [InlineData("bootstrap", "1", true, false)]
    [InlineData("bootstrap", "", true, false)]
    [InlineData("read_replica", "1", false, true)]
    [InlineData("nonvoter", "1", false, true)]
    public void Flags_count_by_presence(string tag, string value, bool bootstrap, bool readReplica)
    {
        var p = ServerParts.Parse(Members.Server("s1", "10.0.0.1", "id-s1", extra: new() { [tag] = value }))!;
        Assert.Equal(bootstrap, p.Bootstrap);
        Assert.Equal(readReplica, p.ReadReplica);
    }

    [Theory]
    [InlineData("role", "node")]
    [InlineData("port", "")]
    [InlineData("port", "83x0")]
    [InlineData("expect", "three")]
    [InlineData("build", "dev")]
    [InlineData("vsn", "")]
    [InlineData("raft_vsn", "v3")]
    [InlineData("wan_join_port", "x")]
    public void Malformed_or_non_server_members_are_not_servers(string tag, string value)
    {
        var m = Members.Server("s1", "10.0.0.1", "id-s1", extra: new() { [tag] = value });
        Assert.Null(ServerParts.Parse(m));
    }

    [Fact]
    public void Build_version_is_the_first_dotted_triple()
    {
        var p = ServerParts.Parse(Members.Server("s1", "10.0.0.1", "id-s1", extra: new() { ["build"] = "1.21.03-dev:abc" }))!;
        Assert.Equal("1.21.3", p.Build);
    }

    [Fact]
    public void Ipv6_rpc_address_is_bracketed()
    {
        var p = ServerParts.Parse(Members.Server("s1", "fd00::1", "id-s1"))!;
        Assert.Equal("[fd00::1]:8300", p.RpcAddress);
    }
}
