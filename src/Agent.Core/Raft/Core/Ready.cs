namespace Consul.Core.Raft;

/// <summary>
/// Everything the core wants done since the last <see cref="RaftCore.Advance"/>, in this order:
/// persist <see cref="Snapshot"/>, <see cref="Entries"/> (an entry at an index already stored
/// replaces it and everything after it) and <see cref="HardState"/>, all durably; then send
/// <see cref="Messages"/>; then restore the snapshot and apply <see cref="CommittedEntries"/>;
/// then call Advance.
/// </summary>
public sealed class Ready
{
    public SoftState? SoftState { get; init; }
    public HardState? HardState { get; init; }
    public SnapshotMeta? Snapshot { get; init; }
    public byte[]? SnapshotData { get; init; }
    public IReadOnlyList<LogEntry> Entries { get; init; } = [];
    public IReadOnlyList<RaftMessage> Messages { get; init; } = [];
    public IReadOnlyList<LogEntry> CommittedEntries { get; init; } = [];
    public IReadOnlyList<ReadState> ReadStates { get; init; } = [];

    /// <summary>True when something must be written to disk before the messages go out.</summary>
    public bool MustSync => HardState is not null || Snapshot is not null || Entries.Count > 0;
}
