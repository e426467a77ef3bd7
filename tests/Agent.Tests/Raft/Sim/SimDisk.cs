using Consul.Core.Raft;
using Consul.Core.Raft.Storage;

namespace Consul.Tests.Raft.Sim;

/// <summary>
/// What survives a crash of a simulated server: only what was "fsynced". A crash in the
/// middle of a write keeps a random prefix of it (a torn tail cut back to whole records).
/// </summary>
public sealed class SimDisk
{
    public HardState Hard;
    public SnapshotMeta? Snapshot;
    public byte[]? SnapshotData;
    public ulong BaseIndex, BaseTerm;
    public List<LogEntry> Log = new();

    public void Append(IReadOnlyList<LogEntry> entries, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = entries[i];
            var pos = Log.FindIndex(x => x.Index >= e.Index);
            if (pos >= 0) Log.RemoveRange(pos, Log.Count - pos);
            Log.Add(e);
        }
    }

    public void SaveSnapshot(SnapshotMeta meta, byte[] data)
    {
        Snapshot = meta;
        SnapshotData = data;
    }

    /// <summary>Log reset after installing a leader's snapshot: the stored log now starts after it.</summary>
    public void ResetLog(ulong index, ulong term)
    {
        Log.Clear();
        BaseIndex = index;
        BaseTerm = term;
    }

    public void CompactTo(ulong index, ulong term)
    {
        if (index <= BaseIndex) return;
        Log.RemoveAll(e => e.Index <= index);
        BaseIndex = index;
        BaseTerm = term;
    }

    public IReadOnlyList<LogEntry> RecoveredEntries() => LogRecovery.Reconcile(Snapshot, BaseIndex, BaseTerm, Log);
}
