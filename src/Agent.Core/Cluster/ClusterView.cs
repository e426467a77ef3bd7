using System.Text.Json.Serialization;

namespace Consul.Core.Cluster;

/// <summary>A gossip member as the API and UI show it (Consul's api.AgentMember).</summary>
public sealed record MemberInfo
{
    public string Name { get; init; } = "";
    public string Addr { get; init; } = "";
    public int Port { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new();
    /// <summary>Serf status code: 0 none, 1 alive, 2 leaving, 3 left, 4 failed.</summary>
    public int Status { get; init; }
    public int ProtocolMin { get; init; } = 1;
    public int ProtocolMax { get; init; } = 5;
    public int ProtocolCur { get; init; } = 2;
    public int DelegateMin { get; init; } = 2;
    public int DelegateMax { get; init; } = 5;
    public int DelegateCur { get; init; } = 4;

    public const int StatusNone = 0, StatusAlive = 1, StatusLeaving = 2, StatusLeft = 3, StatusFailed = 4;

    [JsonIgnore]
    public string StatusText => Status switch
    {
        StatusAlive => "alive",
        StatusLeaving => "leaving",
        StatusLeft => "left",
        StatusFailed => "failed",
        _ => "none",
    };
}

/// <summary>A Raft server as /v1/operator/raft/configuration shows it.</summary>
public sealed record RaftServerInfo
{
    public string ID { get; init; } = "";
    public string Node { get; init; } = "";
    public string Address { get; init; } = "";
    public bool Leader { get; init; }
    public bool Voter { get; init; } = true;
    public string ProtocolVersion { get; init; } = "3";
    public ulong MatchIndex { get; init; }
    public TimeSpan LastContact { get; init; }
}

/// <summary>Raft state of this agent's server (or what a client knows of the leader).</summary>
public sealed record RaftStatus
{
    public string State { get; init; } = "Follower";
    public ulong Term { get; init; }
    public string LeaderId { get; init; } = "";
    public string LeaderAddress { get; init; } = "";
    public ulong CommitIndex { get; init; }
    public ulong AppliedIndex { get; init; }
    public ulong LastLogIndex { get; init; }
    public TimeSpan LastContact { get; init; }
    public IReadOnlyList<RaftServerInfo> Servers { get; init; } = [];
}

/// <summary>
/// Membership and consensus as this agent sees them. The dev agent's view is fixed (itself,
/// alone, leader); the cluster wiring replaces it with one fed by gossip and Raft.
/// The HTTP API and the UI both read this, never gossip or Raft internals.
/// </summary>
public interface IClusterView
{
    IReadOnlyList<MemberInfo> LanMembers();
    IReadOnlyList<MemberInfo> WanMembers();
    RaftStatus Raft();
    /// <summary>Datacenters known through the WAN pool, this one first when no others.</summary>
    IReadOnlyList<string> Datacenters();
}
