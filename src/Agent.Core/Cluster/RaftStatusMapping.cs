using Consul.Core.Raft;

namespace Consul.Core.Cluster;

/// <summary>The Raft driver's status in the shape /v1/operator/raft/configuration and the UI read.</summary>
public static class RaftStatusMapping
{
    public const string UnknownNode = "(unknown)";

    public static RaftStatus From(Consul.Core.Raft.RaftStatus? status, RaftConfiguration config, IReadOnlyList<MemberInfo> lan)
    {
        // Servers are found by their id tag; Consul itself matches the RPC address, kept as a fallback.
        var byId = new Dictionary<string, MemberInfo>(StringComparer.OrdinalIgnoreCase);
        var byAddress = new Dictionary<string, MemberInfo>(StringComparer.Ordinal);
        foreach (var m in lan)
        {
            if (ServerParts.Parse(m) is not { } parts) continue;
            if (parts.Id.Length > 0) byId.TryAdd(parts.Id, m);
            byAddress.TryAdd(parts.RpcAddress, m);
        }
        var peers = (status?.Peers ?? []).ToDictionary(p => p.Id, StringComparer.Ordinal);

        var servers = config.Servers.Select(s =>
        {
            var member = byId.GetValueOrDefault(s.Id) ?? byAddress.GetValueOrDefault(s.Address);
            peers.TryGetValue(s.Id, out var peer);
            return new RaftServerInfo
            {
                ID = s.Id,
                Node = member?.Name ?? UnknownNode,
                Address = s.Address,
                Leader = status?.LeaderId is { } leader && leader == s.Id,
                Voter = s.Voter,
                ProtocolVersion = member?.Tags.GetValueOrDefault("raft_vsn") ?? "unknown",
                MatchIndex = peer?.MatchIndex ?? 0,
                LastContact = peer?.LastContact ?? TimeSpan.Zero,
            };
        }).ToList();

        if (status is null) return new RaftStatus { Servers = servers };
        return new RaftStatus
        {
            State = StateName(status.State),
            Term = status.Term,
            LeaderId = status.LeaderId ?? "",
            LeaderAddress = status.LeaderAddress ?? "",
            CommitIndex = status.CommitIndex,
            AppliedIndex = status.AppliedIndex,
            LastLogIndex = status.LastLogIndex,
            LastContact = status.LastContact ?? TimeSpan.Zero,
            Servers = servers,
        };
    }

    /// <summary>hashicorp/raft's state names; pre-vote is still a candidacy from the outside.</summary>
    public static string StateName(RaftRole role) => role switch
    {
        RaftRole.Leader => "Leader",
        RaftRole.Candidate or RaftRole.PreCandidate => "Candidate",
        _ => "Follower",
    };
}
