using System.Diagnostics;
using System.Text;

namespace Consul.Bench.Cluster;

/// <summary>
/// After the script SIGKILLs the leader: time until a surviving member reports a leader other than
/// the killed one and that leader acknowledges a write. Polls every 10 ms.
/// </summary>
public static class Failover
{
    public static async Task<(double Ms, int NewLeader)> MeasureAsync(HttpClient http, IKvSystem system,
        IReadOnlyList<string> nodes, int killed, long killedAtUnixNs, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        var value = Encoding.ASCII.GetBytes(new string('f', 128));
        var survivors = Enumerable.Range(0, nodes.Count).Where(i => i != killed).ToArray();
        while (deadline.Elapsed < limit)
        {
            using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            foreach (var s in survivors)
            {
                int leader;
                try { leader = await system.ReportedLeaderAsync(http, nodes[s], nodes, poll.Token); }
                catch (OperationCanceledException) { continue; }
                if (leader < 0 || leader == killed) continue;
                bool ok;
                try { ok = await system.PutAsync(http, nodes[leader], "bench/failover", value, poll.Token); }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { ok = false; }
                if (ok) return ((UnixNs() - killedAtUnixNs) / 1e6, leader);
            }
            await Task.Delay(10);
        }
        return (double.NaN, -1);
    }

    /// <summary>Time until every member agrees on one leader; -1 when the limit passes first.</summary>
    public static async Task<int> AgreedLeaderAsync(HttpClient http, IKvSystem system, IReadOnlyList<string> nodes, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var seen = new List<int>();
            foreach (var n in nodes)
            {
                try { seen.Add(await system.ReportedLeaderAsync(http, n, nodes, poll.Token)); }
                catch (OperationCanceledException) { seen.Add(-1); }
            }
            if (seen[0] >= 0 && seen.All(l => l == seen[0])) return seen[0];
            await Task.Delay(50);
        }
        return -1;
    }

    /// <summary>
    /// A restarted member is back when all members agree on a leader and a write made through that
    /// leader after the restart shows in the member's local copy. Returns ms, or NaN at the limit.
    /// </summary>
    public static async Task<double> CaughtUpAsync(HttpClient http, IKvSystem system, IReadOnlyList<string> nodes, int member, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var marker = Encoding.ASCII.GetBytes($"marker-{Guid.NewGuid():N}");
        var written = false;
        while (clock.Elapsed < limit)
        {
            var leader = await AgreedLeaderAsync(http, system, nodes, limit - clock.Elapsed);
            if (leader < 0) break;
            using var poll = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                if (!written) written = await system.PutAsync(http, nodes[leader], "bench/marker", marker, poll.Token);
                if (written && await system.LocalReadAsync(http, nodes[member], "bench/marker", poll.Token) is { } got && got.AsSpan().SequenceEqual(marker))
                    return clock.Elapsed.TotalMilliseconds;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { }
            await Task.Delay(50);
        }
        return double.NaN;
    }

    public static long UnixNs() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
}
