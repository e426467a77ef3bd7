namespace Consul.Core.Raft;

/// <summary>Tunables of the pure core, in ticks and counts (the driver decides how long a tick is).</summary>
public sealed class RaftCoreOptions
{
    public required string Id { get; init; }
    /// <summary>Minimum election timeout; the actual one is randomized in [ElectionTicks, 2·ElectionTicks).</summary>
    public int ElectionTicks { get; init; } = 10;
    public int HeartbeatTicks { get; init; } = 1;
    public bool PreVote { get; init; } = true;
    public bool CheckQuorum { get; init; } = true;
    public int MaxEntriesPerMessage { get; init; } = 256;
    public long MaxBytesPerMessage { get; init; } = 1 << 20;
    public int MaxInflightMessages { get; init; } = 64;
    public int MaxCommittedPerReady { get; init; } = 4096;
    /// <summary>A non-voter is promoted once it is within this many entries of the leader's log.</summary>
    public ulong PromotionLag { get; init; } = 16;
    /// <summary>
    /// How long a leader may serve reads after a quorum acknowledged it. Must stay below
    /// ElectionTicks so followers' refusal to vote outlives the lease, with margin for clock drift.
    /// </summary>
    public int LeaseTicks => Math.Max(1, ElectionTicks - Math.Max(2, ElectionTicks / 5));
}
