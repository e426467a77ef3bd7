using Microsoft.Extensions.Logging;

namespace Consul.Core.Raft.Storage;

/// <summary>Everything a server needs from disk to rebuild its core and state machine.</summary>
public sealed record RecoveredState(HardState HardState, SnapshotMeta? Snapshot, byte[]? SnapshotData, IReadOnlyList<LogEntry> Entries)
{
    public bool IsEmpty => HardState.Term == 0 && Snapshot is null && Entries.Count == 0;
}

/// <summary>
/// The durable side of one server under <c>{data-dir}/raft</c>: the WAL (<c>wal/</c>), the
/// stable store (<c>stable.bin</c>) and snapshots (<c>snapshots/</c>). <see cref="Persist"/>
/// writes one Ready with a single fsync of the log, which is where group commit happens.
/// </summary>
public sealed class RaftStorage : IRaftStorage
{
    private readonly SegmentedWal _wal;
    private readonly StableStore _stable;
    private readonly SnapshotStore _snapshots;

    public RaftStorage(string dataDir, int retainSnapshots = 2, long segmentBytes = 64 << 20, ILogger? logger = null,
        Func<string, Stream>? openWalForAppend = null)
    {
        var root = Path.Combine(dataDir, "raft");
        Directory.CreateDirectory(root);
        _wal = new SegmentedWal(Path.Combine(root, "wal"), segmentBytes, logger, openWalForAppend);
        _stable = new StableStore(Path.Combine(root, "stable.bin"));
        _snapshots = new SnapshotStore(Path.Combine(root, "snapshots"), retainSnapshots, logger);
    }

    public SegmentedWal Wal => _wal;
    public SnapshotStore Snapshots => _snapshots;
    public Exception? Failure => _wal.Failure;

    public RecoveredState Load()
    {
        var hard = _stable.Load();
        var snap = _snapshots.LoadLatest();
        var wal = _wal.Load();
        var entries = LogRecovery.Reconcile(snap?.Meta, wal.BaseIndex, wal.BaseTerm, wal.Entries);
        return new RecoveredState(hard, snap?.Meta, snap?.Data, entries);
    }

    /// <summary>Makes a Ready's snapshot, entries and term/vote durable, in that order.</summary>
    public void Persist(Ready rd)
    {
        if (rd.Snapshot is not null)
        {
            _snapshots.Save(rd.Snapshot, rd.SnapshotData ?? []);
            _wal.Reset(rd.Snapshot.Index, rd.Snapshot.Term);
        }
        if (rd.Entries.Count > 0) _wal.Append(rd.Entries);
        if (rd.Snapshot is not null || rd.Entries.Count > 0) _wal.Sync();
        if (rd.HardState is { } hs) _stable.Save(hs);
    }

    /// <summary>Stores a snapshot the server took itself and drops log segments it makes redundant.</summary>
    public void SaveSnapshot(SnapshotMeta meta, byte[] data, ulong compactTo)
    {
        _snapshots.Save(meta, data);
        _wal.CompactTo(compactTo);
    }

    /// <summary>Appends a recovery entry (peers.json) after the log and makes sure the term covers it.</summary>
    internal void AppendRecovered(LogEntry entry, ulong term)
    {
        _wal.Append([entry]);
        _wal.Sync();
        var hard = _stable.Load();
        if (hard.Term < term) _stable.Save(hard with { Term = term, Vote = null });
    }

    /// <summary>Writes the first configuration of a new cluster (only on empty storage).</summary>
    public void Bootstrap(RaftConfiguration configuration)
    {
        _wal.Append([RaftCore.BootstrapEntry(configuration)]);
        _wal.Sync();
        _stable.Save(new HardState(1, null, 0));
    }

    public void Dispose() => _wal.Dispose();
}
