namespace Consul.Core.Raft;

/// <summary>
/// The in-memory copy of the log: entries after the last compaction point, plus
/// which suffix has not yet been handed to the driver for persistence. The driver
/// loads the durable log into this at start; afterwards the core is the only writer.
/// </summary>
internal sealed class RaftLog
{
    private readonly List<LogEntry> _entries = new();

    /// <summary>Index and term of the last entry folded into a snapshot (0 when none).</summary>
    public ulong SnapshotIndex { get; private set; }
    public ulong SnapshotTerm { get; private set; }
    /// <summary>Lowest index not yet handed out for persistence.</summary>
    public ulong UnstableFrom { get; private set; }

    public RaftLog(ulong snapshotIndex, ulong snapshotTerm, IEnumerable<LogEntry> persisted)
    {
        SnapshotIndex = snapshotIndex;
        SnapshotTerm = snapshotTerm;
        foreach (var e in persisted)
        {
            if (e.Index <= snapshotIndex) continue;
            if (e.Index != LastIndex + 1) throw new InvalidDataException($"log gap: expected index {LastIndex + 1}, got {e.Index}");
            _entries.Add(e);
        }
        UnstableFrom = LastIndex + 1;
    }

    public ulong FirstIndex => SnapshotIndex + 1;
    public ulong LastIndex => SnapshotIndex + (ulong)_entries.Count;
    public ulong LastTerm => Term(LastIndex) ?? 0;
    public int Count => _entries.Count;

    /// <summary>Term of the entry at <paramref name="index"/>, or null when compacted away or beyond the end.</summary>
    public ulong? Term(ulong index)
    {
        if (index == SnapshotIndex) return SnapshotTerm;
        if (index < SnapshotIndex || index > LastIndex) return null;
        return _entries[(int)(index - FirstIndex)].Term;
    }

    public LogEntry Get(ulong index) => _entries[(int)(index - FirstIndex)];

    public bool MatchTerm(ulong index, ulong term) => Term(index) == term;

    /// <summary>Raft §5.4.1: a candidate's log is at least as up to date as ours.</summary>
    public bool IsUpToDate(ulong lastIndex, ulong lastTerm) =>
        lastTerm > LastTerm || (lastTerm == LastTerm && lastIndex >= LastIndex);

    /// <summary>
    /// Largest index ≤ <paramref name="index"/> whose term is ≤ <paramref name="term"/>:
    /// every entry above it cannot match a log whose entry at <paramref name="index"/> has that term.
    /// Used on both sides of a rejected append so the leader skips whole terms at once.
    /// </summary>
    public ulong FindConflictByTerm(ulong index, ulong term)
    {
        if (index > LastIndex) index = LastIndex;
        while (index > SnapshotIndex)
        {
            var t = Term(index)!.Value;
            if (t <= term) return index;
            index--;
        }
        return index;
    }

    /// <summary>Entries [lo, hi] capped by count and bytes (always at least one when lo ≤ hi).</summary>
    public LogEntry[] Slice(ulong lo, ulong hi, int maxCount, long maxBytes)
    {
        if (lo < FirstIndex) throw new InvalidOperationException($"slice from compacted index {lo}");
        if (hi > LastIndex) hi = LastIndex;
        if (lo > hi) return [];
        var n = (int)Math.Min((ulong)maxCount, hi - lo + 1);
        var result = new List<LogEntry>(n);
        long bytes = 0;
        for (var i = 0; i < n; i++)
        {
            var e = _entries[(int)(lo - FirstIndex) + i];
            bytes += e.Size;
            if (result.Count > 0 && bytes > maxBytes) break;
            result.Add(e);
        }
        return result.ToArray();
    }

    public void Append(LogEntry e)
    {
        if (e.Index != LastIndex + 1) throw new InvalidOperationException($"append index {e.Index} after {LastIndex}");
        _entries.Add(e);
    }

    /// <summary>Removes entries from <paramref name="index"/> on (a follower replacing a conflicting suffix).</summary>
    public void TruncateFrom(ulong index)
    {
        if (index <= SnapshotIndex) throw new InvalidOperationException("truncate into snapshot");
        if (index > LastIndex) return;
        _entries.RemoveRange((int)(index - FirstIndex), (int)(LastIndex - index + 1));
        if (UnstableFrom > index) UnstableFrom = index;
    }

    /// <summary>Entries not yet handed out for persistence; marks them handed out.</summary>
    public LogEntry[] TakeUnstable()
    {
        if (UnstableFrom > LastIndex) return [];
        var r = _entries.GetRange((int)(UnstableFrom - FirstIndex), (int)(LastIndex - UnstableFrom + 1)).ToArray();
        UnstableFrom = LastIndex + 1;
        return r;
    }

    public bool HasUnstable => UnstableFrom <= LastIndex;

    /// <summary>Drops entries up to and including <paramref name="index"/> (they live in a snapshot now).</summary>
    public void CompactTo(ulong index)
    {
        if (index <= SnapshotIndex) return;
        if (index > LastIndex) throw new InvalidOperationException("compact beyond last index");
        var term = Term(index)!.Value;
        _entries.RemoveRange(0, (int)(index - SnapshotIndex));
        SnapshotIndex = index;
        SnapshotTerm = term;
    }

    /// <summary>Replaces the whole log with a snapshot received from the leader.</summary>
    public void RestoreSnapshot(ulong index, ulong term)
    {
        _entries.Clear();
        SnapshotIndex = index;
        SnapshotTerm = term;
        UnstableFrom = index + 1;
    }
}
