using Consul.Core.State;

namespace Consul.Core.Queries;

/// <summary>
/// Consul's queryFailover: when a prepared query finds no healthy instance in its own
/// datacenter, it is run in other datacenters, one after another, until one has some. The order:
/// the NearestN closest datacenters by WAN round trip, then those listed in Datacenters and in
/// Targets (peers are not supported and skipped), each once; unknown datacenters are skipped.
/// </summary>
public static class PreparedQueryFailover
{
    public static bool Configured(QueryFailover f) =>
        f.NearestN > 0 || f.Datacenters is { Count: > 0 } || f.Targets?.Any(t => t.Datacenter != "") == true;

    /// <param name="byDistance">Every known datacenter, nearest first (this one among them).</param>
    public static List<string> Datacenters(QueryFailover f, string local, IReadOnlyList<string> byDistance)
    {
        var dcs = new List<string>();
        if (f.NearestN > 0) dcs.AddRange(byDistance.Where(dc => dc != local).Take(f.NearestN));
        var listed = (f.Datacenters ?? []).Concat((f.Targets ?? []).Where(t => t.Peer == "" && t.Datacenter != "").Select(t => t.Datacenter));
        foreach (var dc in listed)
            if (byDistance.Contains(dc, StringComparer.Ordinal) && !dcs.Contains(dc, StringComparer.Ordinal))
                dcs.Add(dc);
        return dcs;
    }

    /// <summary>
    /// Tries each datacenter in turn with <paramref name="fetch"/> (that datacenter's instances of
    /// the service as the query's token may see them; null when it could not be asked, which is
    /// logged by the caller and skipped, as Consul does). Failovers counts the datacenters tried.
    /// </summary>
    public static async Task<QueryExecution> RunAsync(QueryExecution local, PreparedQuery query, IReadOnlyList<string> datacenters,
        Func<string, CancellationToken, Task<IReadOnlyList<ServiceInstance>?>> fetch, Random random, int limit, CancellationToken ct)
    {
        var result = local;
        var failovers = 0;
        foreach (var dc in datacenters)
        {
            failovers++;
            if (await fetch(dc, ct).ConfigureAwait(false) is not { } instances) continue;
            result = PreparedQueryExecution.ExecuteOn(instances, query, dc, random, limit);
            if (result.Nodes.Count > 0) break;
        }
        return result with { Failovers = failovers };
    }
}
