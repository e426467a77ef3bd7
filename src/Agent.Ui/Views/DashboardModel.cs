using Consul.Core.Acl;
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

    /// <summary>Why the Raft peers are hidden (operator:read, as /v1/operator/raft/configuration), or null.</summary>
    public PermissionDeniedException? PeersDenied { get; init; }

    /// <summary>Whether the charts (agent metrics, agent:read on this node) may be shown.</summary>
    public bool MetricsAllowed { get; init; } = true;

    /// <summary>Whether ACLs hid any member, node, service or key from the counts.</summary>
    public bool Filtered { get; init; }

    public bool HasLeader => Leader != "" || LeaderAddress != "";

    /// <summary>
    /// Reads everything at once, filtered as the API would for the viewer: members and nodes by
    /// node:read, services by node and service read, keys by key:read, Raft peers by operator:read.
    /// The leader and datacenters are public (/v1/status/leader, /v1/catalog/datacenters).
    /// </summary>
    public static DashboardModel Build(StateSnapshot snap, IClusterView cluster, LocalState local, Authorizer authz)
    {
        var raft = cluster.Raft();
        var allMembers = Visible<MemberInfo>.Of(cluster.LanMembers(), m => authz.NodeRead(m.Name));
        var members = allMembers.Items;
        var leaderServer = raft.Servers.FirstOrDefault(s => s.Leader);
        var commit = Math.Max(raft.CommitIndex, snap.LastIndex);
        var visibleServices = ServiceSummary.All(snap, authz);
        var services = visibleServices.Items;
        var peersDenied = authz.OperatorReadAllowed();
        var nodes = snap.Nodes.Keys.Count(authz.NodeRead);
        var keys = snap.KV.Keys.Count(authz.KeyRead);

        return new DashboardModel
        {
            Datacenter = local.Identity.Datacenter,
            NodeName = local.Identity.NodeName,
            RaftState = raft.State,
            // The leader's address is public; which server (name/ID) it is comes from the Raft configuration.
            Leader = peersDenied is not null ? "" : leaderServer?.Node is { Length: > 0 } n ? n : raft.LeaderId,
            LeaderAddress = raft.LeaderAddress,
            Term = raft.Term,
            CommitIndex = commit,
            PeersDenied = peersDenied,
            MetricsAllowed = authz.AgentRead(local.Identity.NodeName),
            Filtered = allMembers.Filtered || visibleServices.Filtered || nodes < snap.Nodes.Count || keys < snap.KV.Count,
            Peers = peersDenied is not null ? [] : raft.Servers
                .Select(s => new RaftPeerRow(s.ID, s.Node, s.Address, s.Leader, s.Voter, s.LastContact,
                    Lag(raft, s)))
                .ToList(),
            MembersByStatus = members.GroupBy(m => m.StatusText).ToDictionary(g => g.Key, g => g.Count()),
            Servers = members.Count(IsServer),
            Clients = members.Count(m => !IsServer(m)),
            Services = HealthCounts.Of(services.Select(s => s.Status)),
            ServiceInstances = services.Sum(s => s.Instances),
            Nodes = nodes,
            Keys = keys,
            Datacenters = cluster.Datacenters(),
        };
    }

    /// <summary>Entries the server's log trails the commit index by; unknown when Raft reports no commit index.</summary>
    private static ulong? Lag(RaftStatus raft, RaftServerInfo s) =>
        s.Leader ? 0 : raft.CommitIndex == 0 ? null : raft.CommitIndex - Math.Min(raft.CommitIndex, s.MatchIndex);

    /// <summary>Serf tags members with role=consul for servers and role=node for clients.</summary>
    public static bool IsServer(MemberInfo m) => m.Tags.TryGetValue("role", out var role) && role == "consul";
}
