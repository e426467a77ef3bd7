namespace Consul.Core.Raft;

public sealed partial class RaftCore
{
    private sealed record PendingRead(ulong Context, ulong Index, HashSet<string> Acks);

    private readonly List<PendingRead> _pendingReads = new();
    private readonly List<ulong> _waitingReads = new();
    private readonly List<ReadState> _readStates = new();

    /// <summary>
    /// Read-index: asks for a linearizable read point. The answer arrives as a
    /// <see cref="ReadState"/> once a quorum confirmed this server still leads;
    /// the read may run when the state machine has applied its index.
    /// </summary>
    public ProposeError RequestReadIndex(ulong context)
    {
        if (Role != RaftRole.Leader) return ProposeError.NotLeader;
        // Until the leader commits in its own term it does not know the true commit index.
        if (!CommittedInCurrentTerm) { _waitingReads.Add(context); return ProposeError.None; }
        StartRead(context);
        return ProposeError.None;
    }

    private void StartRead(ulong context)
    {
        var config = Configuration;
        var read = new PendingRead(context, CommitIndex, new HashSet<string>());
        if (config.IsVoter(Id)) read.Acks.Add(Id);
        _pendingReads.Add(read);
        if (read.Acks.Count >= config.Quorum) { CompleteReadsThrough(_pendingReads.Count - 1); return; }
        BroadcastHeartbeat(context);
    }

    private void ReleaseWaitingReads()
    {
        if (Role != RaftRole.Leader || _waitingReads.Count == 0 || !CommittedInCurrentTerm) return;
        var waiting = _waitingReads.ToArray();
        _waitingReads.Clear();
        foreach (var c in waiting) StartRead(c);
    }

    private void AckRead(ulong context, string from)
    {
        var i = _pendingReads.FindIndex(r => r.Context == context);
        if (i < 0 || !Configuration.IsVoter(from)) return;
        var read = _pendingReads[i];
        read.Acks.Add(from);
        // A quorum confirming a later heartbeat also vouches for every earlier request.
        if (read.Acks.Count >= Configuration.Quorum) CompleteReadsThrough(i);
    }

    private void CompleteReadsThrough(int i)
    {
        for (var k = 0; k <= i; k++) _readStates.Add(new ReadState(_pendingReads[k].Context, _pendingReads[k].Index));
        _pendingReads.RemoveRange(0, i + 1);
    }

    /// <summary>
    /// Leader lease: true (with the index to wait for) when a quorum acknowledged this leader
    /// within the last <see cref="RaftCoreOptions.LeaseTicks"/>; those followers will not vote
    /// for anyone else until the lease has run out.
    /// </summary>
    public bool TryLeaseRead(out ulong index)
    {
        index = 0;
        if (Role != RaftRole.Leader || !_o.CheckQuorum || _transferee is not null || _leaseDisabled || !CommittedInCurrentTerm)
            return false;
        var config = Configuration;
        if (config.VoterCount == 0) return false;
        var stamps = new List<ulong>(config.VoterCount);
        foreach (var v in config.Voters)
            stamps.Add(v.Id == Id ? _tickCount : _progress.TryGetValue(v.Id, out var p) ? p.LeaseStamp : 0);
        stamps.Sort((a, b) => b.CompareTo(a));
        var q = stamps[config.Quorum - 1];
        if (q == 0 || q + (ulong)_o.LeaseTicks <= _tickCount) return false;
        index = CommitIndex;
        return true;
    }

    /// <summary>Read requests not yet answered; they are void once this server stops leading.</summary>
    public int PendingReadCount => _pendingReads.Count + _waitingReads.Count;
}
