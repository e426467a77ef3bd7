namespace Consul.Tests.Raft.Sim;

/// <summary>Shape of one simulated run; everything random is derived from <see cref="Seed"/>.</summary>
public sealed record SimOptions
{
    public int Seed { get; init; }
    public int Nodes { get; init; } = 3;
    /// <summary>Servers in the bootstrap configuration; the rest start empty and may be added.</summary>
    public int InitialVoters { get; init; } = 3;
    public int ChaosTicks { get; init; } = 300;
    public int ElectionTicks { get; init; } = 10;
    public double MaxLoss { get; init; } = 0.15;
    public double MaxDuplicate { get; init; } = 0.05;
    public double CrashPerTick { get; init; } = 0.01;
    public double PartitionPerTick { get; init; } = 0.01;
    public double MembershipPerTick { get; init; } = 0.0;
    public double ProposePerTick { get; init; } = 0.5;
    public int SnapshotEvery { get; init; } = 24;
    public int TrailingLogs { get; init; } = 6;
    /// <summary>Clients for the linearizability workload (0: plain proposals only).</summary>
    public int Clients { get; init; }
    public int HealLeaderTicks { get; init; } = 400;
    public int HealCommitTicks { get; init; } = 300;
}
