namespace Consul.Core.Raft;

/// <summary>The leader's view of one peer, for status pages and metrics.</summary>
public sealed record RaftPeerStatus(string Id, string Address, bool Voter, ulong MatchIndex, ulong NextIndex,
    ReplicationState State, long TicksSinceContact);

public sealed partial class RaftCore
{
    private HardState CurrentHardState => new(Term, Vote, CommitIndex);
    private SoftState CurrentSoftState => new(Role, Leader, Term);

    /// <summary>Whether <see cref="GetReady"/> has anything to hand out.</summary>
    public bool HasReady =>
        _msgs.Count > 0 || _log.HasUnstable || _pendingSnapshot is not null || _readStates.Count > 0
        || CommitIndex > _appliedHandedOut
        || !CurrentHardState.Equals(_lastHard) || !CurrentSoftState.Equals(_lastSoft);

    /// <summary>Takes everything pending. Follow the order documented on <see cref="Ready"/>, then call <see cref="Advance"/>.</summary>
    public Ready GetReady()
    {
        var hard = CurrentHardState;
        var soft = CurrentSoftState;
        LogEntry[] committed = [];
        if (CommitIndex > _appliedHandedOut)
        {
            var hi = Math.Min(CommitIndex, _appliedHandedOut + (ulong)_o.MaxCommittedPerReady);
            committed = _log.Slice(_appliedHandedOut + 1, hi, int.MaxValue, long.MaxValue);
            _appliedHandedOut = hi;
        }
        var ready = new Ready
        {
            SoftState = soft.Equals(_lastSoft) ? null : soft,
            HardState = hard.Term == _lastHard.Term && hard.Vote == _lastHard.Vote ? null : hard,
            Snapshot = _pendingSnapshot,
            SnapshotData = _pendingSnapshotData,
            Entries = _log.TakeUnstable(),
            Messages = _msgs.ToArray(),
            CommittedEntries = committed,
            ReadStates = _readStates.ToArray(),
        };
        _lastHard = hard;
        _lastSoft = soft;
        _pendingSnapshot = null;
        _pendingSnapshotData = null;
        _msgs.Clear();
        _readStates.Clear();
        return ready;
    }

    /// <summary>Tells the core the Ready was persisted (and processed); the leader may now count its own log.</summary>
    public void Advance(Ready ready)
    {
        if (ready.Entries.Count > 0)
        {
            var last = ready.Entries[^1];
            // Only if nothing replaced these entries since the Ready was taken.
            if (_log.Term(last.Index) == last.Term && last.Index > _persistedIndex) _persistedIndex = last.Index;
        }
        if (Role == RaftRole.Leader && _progress.TryGetValue(Id, out var self))
        {
            self.MaybeUpdate(_persistedIndex);
            if (MaybeCommit()) BroadcastAppend();
        }
    }

    /// <summary>
    /// Records a snapshot the driver took at <paramref name="snapshot"/>.Index (already applied)
    /// and drops log entries up to <paramref name="compactTo"/> (usually index minus trailing logs).
    /// </summary>
    public void Compact(SnapshotMeta snapshot, ulong compactTo)
    {
        if (_latestSnapshot is null || snapshot.Index > _latestSnapshot.Index) _latestSnapshot = snapshot;
        compactTo = Math.Min(compactTo, Math.Min(snapshot.Index, _appliedHandedOut));
        if (compactTo <= _log.SnapshotIndex) return;
        _log.CompactTo(compactTo);
        // Keep the configuration in force at the compaction point and everything after it.
        var keepFrom = _configs.FindLastIndex(c => c.Index <= compactTo);
        if (keepFrom > 0) _configs.RemoveRange(0, keepFrom);
    }

    /// <summary>Leader's per-peer replication state (empty on followers).</summary>
    public IReadOnlyList<RaftPeerStatus> PeerStatus()
    {
        var list = new List<RaftPeerStatus>();
        foreach (var s in Configuration.Servers)
        {
            if (Role == RaftRole.Leader && _progress.TryGetValue(s.Id, out var pr))
            {
                var match = s.Id == Id ? _persistedIndex : pr.Match;
                list.Add(new RaftPeerStatus(s.Id, s.Address, s.Voter, match, pr.Next, pr.State, s.Id == Id ? 0 : pr.TicksSinceContact));
            }
            else list.Add(new RaftPeerStatus(s.Id, s.Address, s.Voter, 0, 0, ReplicationState.Probe, -1));
        }
        return list;
    }
}
