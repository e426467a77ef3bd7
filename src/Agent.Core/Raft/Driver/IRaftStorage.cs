using Consul.Core.Raft.Storage;

namespace Consul.Core.Raft;

/// <summary>Durable state of one server; <see cref="RaftStorage"/> on disk, <see cref="InMemoryRaftStorage"/> for -dev and tests.</summary>
public interface IRaftStorage : IDisposable
{
    RecoveredState Load();
    void Persist(Ready ready);
    void SaveSnapshot(SnapshotMeta meta, byte[] data, ulong compactTo);
    void Bootstrap(RaftConfiguration configuration);
}

/// <summary>Keeps everything in memory: nothing survives the process (consul agent -dev).</summary>
public sealed class InMemoryRaftStorage : IRaftStorage
{
    private readonly List<LogEntry> _log = new();
    private HardState _hard;
    private SnapshotMeta? _snapshot;
    private byte[]? _snapshotData;

    public RecoveredState Load() => new(_hard, _snapshot, _snapshotData,
        _log.Where(e => e.Index > (_snapshot?.Index ?? 0)).ToList());

    public void Persist(Ready ready)
    {
        if (ready.Snapshot is not null)
        {
            _snapshot = ready.Snapshot;
            _snapshotData = ready.SnapshotData;
            _log.Clear();
        }
        foreach (var e in ready.Entries)
        {
            _log.RemoveAll(x => x.Index >= e.Index);
            _log.Add(e);
        }
        if (ready.HardState is { } hs) _hard = hs;
    }

    public void SaveSnapshot(SnapshotMeta meta, byte[] data, ulong compactTo)
    {
        _snapshot = meta;
        _snapshotData = data;
        _log.RemoveAll(e => e.Index <= compactTo);
    }

    public void Bootstrap(RaftConfiguration configuration)
    {
        _log.Add(RaftCore.BootstrapEntry(configuration));
        _hard = new HardState(1, null, 0);
    }

    public void Dispose() { }
}
