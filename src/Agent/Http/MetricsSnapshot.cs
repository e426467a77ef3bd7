using System.Diagnostics;
using System.Globalization;
using System.Text;
using Consul.Core.Telemetry;

namespace Consul.Agent.Http;

/// <summary>/v1/agent/metrics in go-metrics' JSON shape, or Prometheus text with ?format=prometheus.</summary>
public static class MetricsSnapshot
{
    public static void RefreshRuntimeGauges(ApiContext api)
    {
        var m = api.Metrics;
        var proc = Process.GetCurrentProcess();
        m.SetGauge("consul.runtime.alloc_bytes", GC.GetTotalMemory(false));
        m.SetGauge("consul.runtime.sys_bytes", proc.WorkingSet64);
        m.SetGauge("consul.runtime.num_goroutines", ThreadPool.ThreadCount);
        m.SetGauge("consul.runtime.total_gc_runs", GC.CollectionCount(0));
        m.SetGauge("consul.runtime.total_gc_pause_ns", GC.GetTotalPauseDuration().Ticks * 100);
        m.SetGauge("consul.catalog.services", api.Store.Current.ServiceNodes.Count);
        m.SetGauge("consul.state.nodes", api.Store.Current.Nodes.Count);
        m.SetGauge("consul.state.kv_entries", api.Store.Current.KV.Count);
        m.SetGauge("consul.serf.member.count", api.Cluster.LanMembers().Count);
        m.SetGauge("consul.raft.commitIndex", api.Cluster.Raft().CommitIndex);
    }

    public static Dictionary<string, object> Json(AgentMetrics metrics, DateTimeOffset now)
    {
        static Dictionary<string, object> Aggregate(string name, AgentMetrics.Aggregate a)
        {
            var (count, sum, sumSq, min, max) = a.Read();
            var mean = count == 0 ? 0 : sum / count;
            var variance = count < 2 ? 0 : (sumSq - sum * sum / count) / (count - 1);
            return new()
            {
                ["Name"] = name, ["Count"] = count, ["Rate"] = sum / 10.0, ["Sum"] = sum, ["Min"] = min, ["Max"] = max,
                ["Mean"] = mean, ["Stddev"] = Math.Sqrt(Math.Max(0, variance)), ["Labels"] = new Dictionary<string, string>(),
            };
        }
        return new Dictionary<string, object>
        {
            ["Timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss +0000 UTC", CultureInfo.InvariantCulture),
            ["Gauges"] = metrics.Gauges.OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new Dictionary<string, object> { ["Name"] = g.Key, ["Value"] = g.Value, ["Labels"] = new Dictionary<string, string>() }).ToList(),
            ["Points"] = Array.Empty<object>(),
            ["Counters"] = metrics.Counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => Aggregate(c.Key, c.Value)).ToList(),
            ["Samples"] = metrics.Samples.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => Aggregate(s.Key, s.Value)).ToList(),
        };
    }

    public static string Prometheus(AgentMetrics metrics)
    {
        static string Name(string dotted) => dotted.Replace('.', '_').Replace('-', '_');
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        foreach (var (name, value) in metrics.Gauges.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var n = Name(name);
            sb.Append("# HELP ").Append(n).Append(' ').Append(name).Append('\n');
            sb.Append("# TYPE ").Append(n).Append(" gauge\n").Append(n).Append(' ').Append(F(value)).Append('\n');
        }
        foreach (var (name, agg) in metrics.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var n = Name(name);
            sb.Append("# HELP ").Append(n).Append(' ').Append(name).Append('\n');
            sb.Append("# TYPE ").Append(n).Append(" counter\n").Append(n).Append(' ').Append(F(agg.Read().Sum)).Append('\n');
        }
        foreach (var (name, agg) in metrics.Samples.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var n = Name(name);
            var (count, sum, _, _, _) = agg.Read();
            sb.Append("# HELP ").Append(n).Append(' ').Append(name).Append('\n');
            sb.Append("# TYPE ").Append(n).Append(" summary\n");
            sb.Append(n).Append("_sum ").Append(F(sum)).Append('\n');
            sb.Append(n).Append("_count ").Append(count).Append('\n');
        }
        return sb.ToString();
    }
}
