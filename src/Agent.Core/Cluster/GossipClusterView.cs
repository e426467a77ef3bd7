namespace Consul.Core.Cluster;

/// <summary>
/// The cluster as a gossiping agent sees it: members straight from the LAN and WAN pools,
/// Raft status from the local server (or what a client knows). Sources are delegates so the
/// view holds no references into gossip or Raft and tests need no sockets.
/// </summary>
public sealed class GossipClusterView(
    Func<IReadOnlyList<MemberInfo>> lan, Func<IReadOnlyList<MemberInfo>> wan, Func<RaftStatus> raft, string datacenter) : IClusterView
{
    public IReadOnlyList<MemberInfo> LanMembers() => lan();

    public IReadOnlyList<MemberInfo> WanMembers() => wan();

    public RaftStatus Raft() => raft();

    /// <summary>
    /// Datacenters of the WAN servers: this one first, the others sorted. Servers that left
    /// do not count (Consul's router drops them on leave but keeps failed ones).
    /// </summary>
    public IReadOnlyList<string> Datacenters()
    {
        var others = wan()
            .Where(m => m.Tags.GetValueOrDefault("role") == "consul" && m.Status != MemberInfo.StatusLeft)
            .Select(m => m.Tags.GetValueOrDefault("dc", ""))
            .Where(dc => dc.Length > 0 && dc != datacenter)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [datacenter, .. others];
    }
}
