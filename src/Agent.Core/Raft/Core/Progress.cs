namespace Consul.Core.Raft;

/// <summary>How the leader is currently feeding one follower.</summary>
public enum ReplicationState
{
    /// <summary>Next index unknown: one append at a time until a response shows where logs match.</summary>
    Probe,
    /// <summary>Logs match: appends are pipelined optimistically, bounded by the in-flight window.</summary>
    Replicate,
    /// <summary>Follower needs a snapshot; appends pause until it reports having installed it.</summary>
    Snapshot,
}

/// <summary>The leader's view of one peer's log (etcd's Progress).</summary>
internal sealed class Progress
{
    private readonly Queue<ulong> _inflight = new();

    public ulong Match;
    public ulong Next;
    public ReplicationState State = ReplicationState.Probe;
    public bool ProbeSent;
    public ulong PendingSnapshot;
    /// <summary>Heard from since the last check-quorum round.</summary>
    public bool RecentActive;
    /// <summary>Latest leader tick this peer has echoed back: the peer acknowledged us at or after that time.</summary>
    public ulong LeaseStamp;
    /// <summary>Ticks since anything arrived from this peer (observability).</summary>
    public long TicksSinceContact;
    /// <summary>Leader ticks since this peer last answered an append (drives loss recovery).</summary>
    public int StallTicks;

    public Progress(ulong next) { Next = next; }

    public int Inflight => _inflight.Count;

    public bool IsPaused(int maxInflight) => State switch
    {
        ReplicationState.Probe => ProbeSent,
        ReplicationState.Replicate => _inflight.Count >= maxInflight,
        _ => true,
    };

    public void BecomeProbe()
    {
        // After a snapshot, resume right after it; otherwise right after the known match.
        Next = State == ReplicationState.Snapshot ? Math.Max(Match + 1, PendingSnapshot + 1) : Match + 1;
        State = ReplicationState.Probe;
        ProbeSent = false;
        PendingSnapshot = 0;
        _inflight.Clear();
    }

    public void BecomeReplicate()
    {
        State = ReplicationState.Replicate;
        Next = Match + 1;
        ProbeSent = false;
        PendingSnapshot = 0;
        _inflight.Clear();
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        State = ReplicationState.Snapshot;
        PendingSnapshot = snapshotIndex;
        ProbeSent = false;
        _inflight.Clear();
    }

    /// <summary>Records that an append ending at <paramref name="last"/> was sent.</summary>
    public void Sent(ulong last, int entryCount)
    {
        if (State == ReplicationState.Replicate)
        {
            if (entryCount > 0)
            {
                Next = last + 1;
                _inflight.Enqueue(last);
            }
        }
        else if (State == ReplicationState.Probe)
        {
            ProbeSent = true;
        }
    }

    /// <summary>Accepted append up to <paramref name="index"/>; returns whether Match moved.</summary>
    public bool MaybeUpdate(ulong index)
    {
        var updated = false;
        if (Match < index) { Match = index; updated = true; ProbeSent = false; }
        if (Next < index + 1) Next = index + 1;
        while (_inflight.Count > 0 && _inflight.Peek() <= index) _inflight.Dequeue();
        return updated;
    }

    /// <summary>
    /// A rejection of the append sent at <paramref name="rejected"/>; moves Next back toward
    /// <paramref name="hint"/>. Returns false for a stale rejection (already superseded).
    /// </summary>
    public bool MaybeDecrTo(ulong rejected, ulong hint)
    {
        if (State == ReplicationState.Replicate)
        {
            if (rejected <= Match) return false;
            Next = Match + 1;
            return true;
        }
        if (Next - 1 != rejected) return false;
        Next = Math.Max(Math.Min(rejected, hint + 1), Match + 1);
        if (Next < 1) Next = 1;
        ProbeSent = false;
        return true;
    }
}
