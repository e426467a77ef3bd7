using Consul.Core.Raft;

namespace Consul.Core.Cluster;

/// <summary>
/// Autopilot's cleanup_dead_servers: which voters the leader may drop because gossip reports
/// them failed. As raft-autopilot: at most (voters - 1) / 2 at once (so a quorum of the old
/// configuration is still alive), never the leader itself, and never below min_quorum.
/// </summary>
public static class DeadServerCleanup
{
    public static IReadOnlyList<ServerInfo> Removable(RaftConfiguration config, IReadOnlyList<MemberInfo> lan, string selfId, uint minQuorum)
    {
        var failedIds = lan.Select(ServerParts.Parse).OfType<ServerParts>()
            .Where(s => s.Status == MemberInfo.StatusFailed)
            .Select(s => s.Id)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var voters = config.Voters.ToList();
        var dead = voters.Where(s => s.Id != selfId && failedIds.Contains(s.Id)).ToList();
        if (dead.Count == 0 || dead.Count > (voters.Count - 1) / 2) return [];
        if (voters.Count - dead.Count < minQuorum) return [];
        return dead;
    }
}
