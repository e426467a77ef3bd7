using Consul.Core.Cluster;
using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>A Raft server row: voter state, contact and how far its log trails the commit index.</summary>
public sealed record RaftPeerRow(string Id, string Node, string Address, bool Leader, bool Voter, TimeSpan LastContact, ulong? Lag);

/// <summary>How many of something are in each health state.</summary>
public sealed record HealthCounts(int Passing, int Warning, int Critical)
{
    public int Total => Passing + Warning + Critical;

    public static HealthCounts Of(IEnumerable<string> statuses)
    {
        int p = 0, w = 0, c = 0;
        foreach (var s in statuses)
        {
            switch (s)
            {
                case HealthStatus.Passing: p++; break;
                case HealthStatus.Warning: w++; break;
                default: c++; break; // critical, maintenance and unknown all need attention
            }
        }
        return new HealthCounts(p, w, c);
    }
}

/// <summary>Everything the dashboard shows, read at one moment.</summary>
public sealed record DashboardModel
{
    public string Datacenter { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string RaftState { get; init; } = "";
    public string Leader { get; init; } = "";
    public string LeaderAddress { get; init; } = "";
    public ulong Term { get; init; }
    public ulong CommitIndex { get; init; }
    public IReadOnlyList<RaftPeerRow> Peers { get; init; } = [];
    public IReadOnlyDictionary<string, int> MembersByStatus { get; init; } = new Dictionary<string, int>();
    public int Servers { get; init; }
    public int Clients { get; init; }
    public HealthCounts Services { get; init; } = new(0, 0, 0);
    public int ServiceInstances { get; init; }
    public int Nodes { get; init; }
    public int Keys { get; init; }
    public IReadOnlyList<string> Datacenters { get; init; } = [];

    public bool HasLeader => Leader != "" || LeaderAddress != "";

    public static DashboardModel Build(StateSnapshot snap, IClusterView cluster, LocalState local)
    {
        var raft = cluster.Raft();
        var members = cluster.LanMembers();
        var leaderServer = raft.Servers.FirstOrDefault(s => s.Leader);
        var commit = Math.Max(raft.CommitIndex, snap.LastIndex);
        var services = ServiceSummary.All(snap);

        return new DashboardModel
        {
            Datacenter = local.Identity.Datacenter,
            NodeName = local.Identity.NodeName,
            RaftState = raft.State,
            Leader = leaderServer?.Node is { Length: > 0 } n ? n : raft.LeaderId,
            LeaderAddress = raft.LeaderAddress,
            Term = raft.Term,
            CommitIndex = commit,
            Peers = raft.Servers
                .Select(s => new RaftPeerRow(s.ID, s.Node, s.Address, s.Leader, s.Voter, s.LastContact,
                    Lag(raft, s)))
                .ToList(),
            MembersByStatus = members.GroupBy(m => m.StatusText).ToDictionary(g => g.Key, g => g.Count()),
            Servers = members.Count(IsServer),
            Clients = members.Count(m => !IsServer(m)),
            Services = HealthCounts.Of(services.Select(s => s.Status)),
            ServiceInstances = services.Sum(s => s.Instances),
            Nodes = snap.Nodes.Count,
            Keys = snap.KV.Count,
            Datacenters = cluster.Datacenters(),
        };
    }

    /// <summary>Entries the server's log trails the commit index by; unknown when Raft reports no commit index.</summary>
    private static ulong? Lag(RaftStatus raft, RaftServerInfo s) =>
        s.Leader ? 0 : raft.CommitIndex == 0 ? null : raft.CommitIndex - Math.Min(raft.CommitIndex, s.MatchIndex);

    /// <summary>Serf tags members with role=consul for servers and role=node for clients.</summary>
    public static bool IsServer(MemberInfo m) => m.Tags.TryGetValue("role", out var role) && role == "consul";
}
