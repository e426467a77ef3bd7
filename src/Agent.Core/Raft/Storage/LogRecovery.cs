namespace Consul.Core.Raft.Storage;

/// <summary>
/// Decides which durable log entries survive next to the latest snapshot at start-up.
/// A crash between saving a received snapshot and resetting the log can leave entries
/// from an older history behind; they are kept only if the log agrees with the snapshot
/// at its last index (then by log matching everything after it is consistent too).
/// </summary>
public static class LogRecovery
{
    /// <param name="baseIndex">Index the stored log starts after (its last reset or compaction point).</param>
    /// <param name="baseTerm">Term at <paramref name="baseIndex"/>.</param>
    public static IReadOnlyList<LogEntry> Reconcile(SnapshotMeta? snapshot, ulong baseIndex, ulong baseTerm, IReadOnlyList<LogEntry> entries)
    {
        var snapIndex = snapshot?.Index ?? 0;
        var snapTerm = snapshot?.Term ?? 0;
        ulong? termAtSnap = null;
        if (snapIndex == baseIndex) termAtSnap = baseTerm;
        else if (entries.Count > 0 && snapIndex >= entries[0].Index && snapIndex <= entries[^1].Index)
            termAtSnap = entries[(int)(snapIndex - entries[0].Index)].Term;
        if (termAtSnap != snapTerm) return [];
        var kept = new List<LogEntry>();
        foreach (var e in entries)
        {
            if (e.Index <= snapIndex) continue;
            if (e.Index != snapIndex + 1 + (ulong)kept.Count) break;
            kept.Add(e);
        }
        return kept;
    }
}
