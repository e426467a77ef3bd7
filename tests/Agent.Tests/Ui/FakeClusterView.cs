using Consul.Core.Cluster;

namespace Consul.Tests.Ui;

/// <summary>A settable cluster view: tests change members and Raft status between renders.</summary>
public sealed class FakeClusterView : IClusterView
{
    public List<MemberInfo> Lan { get; set; } = [];
    public List<MemberInfo> Wan { get; set; } = [];
    public RaftStatus Status { get; set; } = new();
    public List<string> Dcs { get; set; } = ["dc1"];

    public IReadOnlyList<MemberInfo> LanMembers() => Lan;
    public IReadOnlyList<MemberInfo> WanMembers() => Wan;
    public RaftStatus Raft() => Status;
    public IReadOnlyList<string> Datacenters() => Dcs;

    public static MemberInfo Member(string name, string addr, int status, string role = "consul") => new()
    {
        Name = name, Addr = addr, Port = 8301, Status = status,
        Tags = new() { ["role"] = role, ["dc"] = "dc1" },
    };

    /// <summary>Three servers, node1 leading at term 3.</summary>
    public static FakeClusterView ThreeServers() => new()
    {
        Lan =
        [
            Member("node1", "127.0.0.2", MemberInfo.StatusAlive),
            Member("node2", "127.0.0.3", MemberInfo.StatusAlive),
            Member("node3", "127.0.0.4", MemberInfo.StatusFailed),
            Member("client1", "127.0.0.5", MemberInfo.StatusAlive, role: "node"),
        ],
        Status = new RaftStatus
        {
            State = "Leader", Term = 3, LeaderId = "id-1", LeaderAddress = "127.0.0.2:8300", CommitIndex = 120,
            Servers =
            [
                new RaftServerInfo { ID = "id-1", Node = "node1", Address = "127.0.0.2:8300", Leader = true, MatchIndex = 120 },
                new RaftServerInfo { ID = "id-2", Node = "node2", Address = "127.0.0.3:8300", MatchIndex = 118, LastContact = TimeSpan.FromMilliseconds(12) },
                new RaftServerInfo { ID = "id-3", Node = "node3", Address = "127.0.0.4:8300", Voter = false, MatchIndex = 20, LastContact = TimeSpan.FromSeconds(9) },
            ],
        },
    };
}
