namespace Consul.Core.Cluster;

/// <summary>
/// The cluster as a gossiping agent sees it: members straight from the LAN and WAN pools,
/// Raft status from the local server (or what a client knows). Sources are delegates so the
/// view holds no references into gossip or Raft and tests need no sockets.
/// </summary>
public sealed class GossipClusterView(
    Func<IReadOnlyList<MemberInfo>> lan, Func<IReadOnlyList<MemberInfo>> wan, Func<RaftStatus> raft, string datacenter,
    Func<string, TimeSpan?>? wanRtt = null) : IClusterView
{
    public IReadOnlyList<MemberInfo> LanMembers() => lan();

    public IReadOnlyList<MemberInfo> WanMembers() => wan();

    public RaftStatus Raft() => raft();

    /// <summary>
    /// Datacenters of the WAN servers, nearest first (Consul's GetDatacentersByDistance): this
    /// one (distance zero), then the others by the median estimated round trip from this server
    /// to theirs (<paramref name="wanRtt"/> by WAN member name; unknown is infinitely far), ties
    /// by name. Servers that left do not count (Consul's router drops them on leave but keeps
    /// failed ones).
    /// </summary>
    public IReadOnlyList<string> Datacenters()
    {
        var rtts = new Dictionary<string, List<double>>(StringComparer.Ordinal) { [datacenter] = [0] };
        foreach (var m in wan())
        {
            if (m.Tags.GetValueOrDefault("role") != "consul" || m.Status == MemberInfo.StatusLeft) continue;
            var dc = m.Tags.GetValueOrDefault("dc", "");
            if (dc.Length == 0 || dc == datacenter) continue;
            if (!rtts.TryGetValue(dc, out var list)) rtts[dc] = list = [];
            list.Add(wanRtt?.Invoke(m.Name)?.TotalSeconds ?? double.PositiveInfinity);
        }
        return DatacenterDistance.Order(rtts);
    }
}

/// <summary>Consul's datacenter ordering by median round trip.</summary>
public static class DatacenterDistance
{
    /// <summary>Names ordered by the median of each one's round trips (seconds), then by name.</summary>
    public static IReadOnlyList<string> Order(IReadOnlyDictionary<string, List<double>> rtts) =>
        rtts.Select(p => (Dc: p.Key, Median: p.Value.Order().ElementAt(p.Value.Count / 2)))
            .OrderBy(d => d.Median).ThenBy(d => d.Dc, StringComparer.Ordinal)
            .Select(d => d.Dc).ToList();
}
