namespace Consul.Core.Gossip.Coordinates;

/// <summary>
/// Maintains our own coordinate from RTT observations (Serf's coordinate.Client):
/// a median filter per peer, the Vivaldi spring update, an adjustment term learned from
/// recent residuals and a weak gravity toward the origin against drift.
/// </summary>
public sealed class VivaldiClient
{
    private readonly VivaldiConfig _config;
    private readonly Random _rng;
    private readonly double[] _adjustmentSamples;
    private int _adjustmentIndex;
    private readonly Dictionary<string, List<double>> _latencyFilter = new();

    public VivaldiClient(VivaldiConfig config, Random rng)
    {
        _config = config;
        _rng = rng;
        _adjustmentSamples = new double[config.AdjustmentWindowSize];
        Coordinate = Coordinate.Origin(config);
    }

    public Coordinate Coordinate { get; private set; }

    public void ForgetNode(string node) => _latencyFilter.Remove(node);

    /// <summary>Folds one RTT observation to <paramref name="node"/> at <paramref name="other"/> into our coordinate.</summary>
    public Coordinate Update(string node, Coordinate other, TimeSpan rtt)
    {
        if (!other.IsValid() || !other.IsCompatibleWith(Coordinate)) return Coordinate;
        if (rtt < TimeSpan.Zero || rtt > TimeSpan.FromSeconds(10)) return Coordinate;
        var rttSeconds = FilteredLatency(node, rtt.TotalSeconds);
        UpdateVivaldi(other, rttSeconds);
        UpdateAdjustment(other, rttSeconds);
        UpdateGravity();
        if (!Coordinate.IsValid()) Coordinate = Coordinate.Origin(_config);
        return Coordinate;
    }

    private double FilteredLatency(string node, double rtt)
    {
        if (!_latencyFilter.TryGetValue(node, out var samples)) _latencyFilter[node] = samples = new List<double>();
        samples.Add(rtt);
        if (samples.Count > _config.LatencyFilterSize) samples.RemoveAt(0);
        var sorted = samples.OrderBy(x => x).ToArray();
        return sorted[sorted.Length / 2];
    }

    private void UpdateVivaldi(Coordinate other, double rtt)
    {
        rtt = Math.Max(rtt, Coordinate.ZeroThreshold);
        var dist = Coordinate.DistanceTo(other).TotalSeconds;
        var wrongness = Math.Abs(dist - rtt) / rtt;
        var totalError = Math.Max(Coordinate.Error + other.Error, Coordinate.ZeroThreshold);
        var weight = Coordinate.Error / totalError;
        var error = _config.VivaldiCE * weight * wrongness + Coordinate.Error * (1.0 - _config.VivaldiCE * weight);
        Coordinate = Coordinate with { Error = Math.Min(error, _config.VivaldiErrorMax) };
        var force = _config.VivaldiCC * weight * (rtt - dist);
        Coordinate = Coordinate.ApplyForce(_config, force, other, _rng);
    }

    private void UpdateAdjustment(Coordinate other, double rtt)
    {
        if (_config.AdjustmentWindowSize == 0) return;
        // The residual the Euclidean part cannot explain (computed without adjustments).
        var dist = Coordinate.RawDistanceTo(other);
        _adjustmentSamples[_adjustmentIndex] = rtt - dist;
        _adjustmentIndex = (_adjustmentIndex + 1) % _config.AdjustmentWindowSize;
        Coordinate = Coordinate with { Adjustment = _adjustmentSamples.Sum() / (2.0 * _config.AdjustmentWindowSize) };
    }

    private void UpdateGravity()
    {
        var origin = Coordinate.Origin(_config);
        var dist = origin.DistanceTo(Coordinate).TotalSeconds;
        var force = -1.0 * Math.Pow(dist / _config.GravityRho, 2.0);
        Coordinate = Coordinate.ApplyForce(_config, force, origin, _rng);
    }
}
