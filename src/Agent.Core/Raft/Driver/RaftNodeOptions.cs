namespace Consul.Core.Raft;

/// <summary>Settings of a <see cref="RaftNode"/>. Timing scales with Consul's raft_multiplier.</summary>
public sealed class RaftNodeOptions
{
    public required string Id { get; init; }
    public required string Address { get; init; }
    /// <summary>Consul's raft_multiplier: 1 is tuned for fast failover; higher values tolerate slower machines.</summary>
    public int RaftMultiplier { get; init; } = 1;
    /// <summary>Length of one core tick at multiplier 1.</summary>
    public TimeSpan BaseTick { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Minimum election timeout in ticks (randomized up to twice that): 500–1000 ms at multiplier 1.</summary>
    public int ElectionTicks { get; init; } = 10;
    /// <summary>Heartbeat every this many ticks: 100 ms at multiplier 1.</summary>
    public int HeartbeatTicks { get; init; } = 2;
    /// <summary>Take a snapshot after this many applied entries (Consul: snapshot_threshold 8192).</summary>
    public int SnapshotThreshold { get; init; } = 8192;
    /// <summary>
    /// Consul's raft_snapshot_interval: how often the node checks whether a snapshot is due,
    /// staggered at random between this and twice this (hashicorp/raft's SnapshotInterval), so
    /// servers of one cluster do not all snapshot at once. Zero checks after every apply.
    /// </summary>
    public TimeSpan SnapshotInterval { get; init; }
    /// <summary>Entries kept in the log behind a snapshot so slightly lagging followers need no snapshot (Consul: 10240).</summary>
    public int TrailingLogs { get; init; } = 10240;
    public int MaxEntriesPerMessage { get; init; } = 256;
    public int MaxInflightMessages { get; init; } = 64;
    /// <summary>
    /// How long an append without entries (commit notice, probe) waits for an append with
    /// entries to overtake it (see RaftNode's PeerSender). Zero sends it at once. Followers
    /// learn an idle leader's last commit this much later.
    /// </summary>
    public TimeSpan EmptyAppendDelay { get; init; } = TimeSpan.FromMilliseconds(2);

    public TimeSpan TickInterval => BaseTick * Math.Max(1, RaftMultiplier);

    internal RaftCoreOptions CoreOptions() => new()
    {
        Id = Id, ElectionTicks = ElectionTicks, HeartbeatTicks = HeartbeatTicks,
        MaxEntriesPerMessage = MaxEntriesPerMessage, MaxInflightMessages = MaxInflightMessages,
    };
}
