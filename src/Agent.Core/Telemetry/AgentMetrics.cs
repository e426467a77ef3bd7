using System.Collections.Concurrent;

namespace Consul.Core.Telemetry;

/// <summary>
/// In-process counters, gauges and samples in the shape of Consul's go-metrics
/// in-memory sink (what /v1/agent/metrics reports). Names use Consul's dotted form.
/// </summary>
public sealed class AgentMetrics
{
    private readonly ConcurrentDictionary<string, double> _gauges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Aggregate> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Aggregate> _samples = new(StringComparer.Ordinal);

    public void SetGauge(string name, double value) => _gauges[name] = value;
    public void IncrCounter(string name, double by = 1) => _counters.GetOrAdd(name, _ => new Aggregate()).Add(by);
    public void AddSample(string name, double value) => _samples.GetOrAdd(name, _ => new Aggregate()).Add(value);

    public IReadOnlyDictionary<string, double> Gauges => _gauges;
    public IReadOnlyDictionary<string, Aggregate> Counters => _counters;
    public IReadOnlyDictionary<string, Aggregate> Samples => _samples;

    /// <summary>Count, sum, min, max and sum of squares, as go-metrics AggregateSample.</summary>
    public sealed class Aggregate
    {
        private readonly object _gate = new();
        public long Count { get; private set; }
        public double Sum { get; private set; }
        public double SumSq { get; private set; }
        public double Min { get; private set; }
        public double Max { get; private set; }

        public void Add(double v)
        {
            lock (_gate)
            {
                if (Count == 0 || v < Min) Min = v;
                if (Count == 0 || v > Max) Max = v;
                Count++;
                Sum += v;
                SumSq += v * v;
            }
        }

        public (long Count, double Sum, double SumSq, double Min, double Max) Read()
        {
            lock (_gate) return (Count, Sum, SumSq, Min, Max);
        }
    }
}
