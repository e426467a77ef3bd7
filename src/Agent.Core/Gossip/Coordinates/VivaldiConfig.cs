namespace Consul.Core.Gossip.Coordinates;

/// <summary>Vivaldi tuning; defaults are Serf's coordinate.DefaultConfig.</summary>
public sealed record VivaldiConfig
{
    public int Dimensionality { get; init; } = 8;
    public double VivaldiErrorMax { get; init; } = 1.5;
    public double VivaldiCE { get; init; } = 0.25;
    public double VivaldiCC { get; init; } = 0.25;
    public int AdjustmentWindowSize { get; init; } = 20;
    public double HeightMin { get; init; } = 10.0e-6;
    public int LatencyFilterSize { get; init; } = 3;
    public double GravityRho { get; init; } = 150.0;
}
