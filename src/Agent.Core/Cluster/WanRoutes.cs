namespace Consul.Core.Cluster;

/// <summary>
/// Which servers a request for another datacenter may go to, as Consul's router picks them:
/// WAN members that are well-formed servers of that datacenter, alive ones first in a shuffled
/// order (spreading load), then failed ones as a last resort (Consul's router keeps failed
/// servers until they are reaped; a flapping WAN link often still delivers). Servers that left
/// are gone.
/// </summary>
public static class WanRoutes
{
    /// <summary>RPC addresses ("ip:port") to try in order; empty when no route exists.</summary>
    public static IReadOnlyList<string> Candidates(IEnumerable<MemberInfo> wanMembers, string datacenter, Random random)
    {
        var servers = wanMembers.Select(ServerParts.Parse).OfType<ServerParts>()
            .Where(s => s.Datacenter == datacenter && s.Status is MemberInfo.StatusAlive or MemberInfo.StatusFailed)
            .ToList();
        var alive = servers.Where(s => s.Status == MemberInfo.StatusAlive).Select(s => s.RpcAddress).ToArray();
        var failed = servers.Where(s => s.Status == MemberInfo.StatusFailed).Select(s => s.RpcAddress).ToArray();
        random.Shuffle(alive);
        random.Shuffle(failed);
        return [.. alive, .. failed];
    }
}
