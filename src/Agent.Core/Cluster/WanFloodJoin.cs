namespace Consul.Core.Cluster;

/// <summary>
/// Consul's flood join: every server joins the servers of its own datacenter that LAN gossip
/// shows into the WAN pool too (at their wan_join_port), so the WAN pool needs no retry_join_wan
/// within a datacenter. Returns the WAN addresses still to join.
/// </summary>
public static class WanFloodJoin
{
    public static IReadOnlyList<string> Missing(IReadOnlyList<MemberInfo> lan, IReadOnlyList<MemberInfo> wan, string datacenter)
    {
        var inWan = wan.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return lan.Select(ServerParts.Parse).OfType<ServerParts>()
            .Where(s => s.Datacenter == datacenter && s.Status == MemberInfo.StatusAlive && s.WanJoinPort > 0)
            .Where(s => !inWan.Contains($"{s.ShortName}.{s.Datacenter}"))
            .Select(s => ServerParts.JoinHostPort(s.Address, s.WanJoinPort))
            .ToList();
    }
}
