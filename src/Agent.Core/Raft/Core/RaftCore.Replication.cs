namespace Consul.Core.Raft;

/// <summary>Why the core turned down a request.</summary>
public enum ProposeError { None, NotLeader, TransferInProgress, ConfigChangeInProgress, NotReady, UnknownServer }

/// <summary>Where a proposal landed in the log, or why it was refused.</summary>
public readonly record struct ProposeResult(ProposeError Error, ulong Index, ulong Term)
{
    public bool Ok => Error == ProposeError.None;
}

public sealed partial class RaftCore
{
    /// <summary>Appends a command to the leader's log; it commits once a quorum has persisted it.</summary>
    public ProposeResult Propose(byte[] command)
    {
        if (Role != RaftRole.Leader) return new(ProposeError.NotLeader, 0, 0);
        if (_transferee is not null) return new(ProposeError.TransferInProgress, 0, 0);
        var e = AppendAsLeader(EntryType.Command, command);
        BroadcastAppend();
        return new(ProposeError.None, e.Index, e.Term);
    }

    private LogEntry AppendAsLeader(EntryType type, byte[] data)
    {
        var e = new LogEntry(_log.LastIndex + 1, Term, type, data);
        _log.Append(e);
        if (type == EntryType.Configuration) ConfigurationAppended(e.Index, RaftConfiguration.Decode(data));
        return e;
    }

    private void StepLeader(RaftMessage m)
    {
        if (!_progress.TryGetValue(m.From, out var pr)) return;
        pr.RecentActive = true;
        pr.TicksSinceContact = 0;
        if (m.LeaseStamp > pr.LeaseStamp) pr.LeaseStamp = m.LeaseStamp;
        switch (m.Type)
        {
            case MessageType.AppendResp: HandleAppendResponse(m, pr); break;
            case MessageType.HeartbeatResp: HandleHeartbeatResponse(m, pr); break;
        }
    }

    private void HandleAppendResponse(RaftMessage m, Progress pr)
    {
        pr.StallTicks = 0;
        if (m.Reject)
        {
            var hint = m.RejectHint;
            if (m.LogTerm > 0) hint = _log.FindConflictByTerm(hint, m.LogTerm);
            if (pr.MaybeDecrTo(m.Index, hint))
            {
                if (pr.State == ReplicationState.Replicate) pr.BecomeProbe();
                SendAppend(m.From, pr, sendIfEmpty: true);
            }
            return;
        }
        if (!pr.MaybeUpdate(m.Index)) return;
        if (pr.State == ReplicationState.Probe) pr.BecomeReplicate();
        else if (pr.State == ReplicationState.Snapshot && pr.Match >= pr.PendingSnapshot) pr.BecomeReplicate();

        if (MaybeCommit()) BroadcastAppend();
        else while (SendAppend(m.From, pr, sendIfEmpty: false)) { }

        if (m.From == _transferee && pr.Match == _log.LastIndex) SendTimeoutNow(m.From);
    }

    private void HandleHeartbeatResponse(RaftMessage m, Progress pr)
    {
        if (pr.State == ReplicationState.Probe) pr.ProbeSent = false;
        if (pr.Match < _log.LastIndex) SendAppend(m.From, pr, sendIfEmpty: false);
        if (m.Context != 0) AckRead(m.Context, m.From);
    }

    /// <summary>
    /// Appends or heartbeats can be lost; a peer that has not answered for a while is
    /// re-probed from its last known match instead of waiting on a window that never drains.
    /// </summary>
    private void RecoverStalledPeers()
    {
        var limit = Math.Max(2, _o.ElectionTicks / 2);
        foreach (var (id, pr) in _progress)
        {
            if (id == Id || pr.StallTicks < limit) continue;
            var waiting = pr.State switch
            {
                ReplicationState.Replicate => pr.Inflight > 0,
                ReplicationState.Probe => pr.ProbeSent,
                _ => pr.StallTicks >= limit * 20,
            };
            if (!waiting) continue;
            pr.StallTicks = 0;
            pr.BecomeProbe();
            SendAppend(id, pr, sendIfEmpty: true);
        }
    }

    private void BroadcastAppend()
    {
        foreach (var (id, pr) in _progress)
            if (id != Id) SendAppend(id, pr, sendIfEmpty: true);
    }

    /// <summary>Sends the next batch to a peer (or a snapshot when its entries are compacted). Returns whether anything was sent.</summary>
    private bool SendAppend(string to, Progress pr, bool sendIfEmpty)
    {
        if (pr.IsPaused(_o.MaxInflightMessages)) return false;
        var prevIndex = pr.Next - 1;
        var prevTerm = _log.Term(prevIndex);
        if (prevTerm is null && prevIndex < _log.FirstIndex) return SendSnapshot(to, pr);
        if (prevTerm is null)
        {
            // Next ran past our log (stale progress): fall back to probing from the end.
            pr.Next = _log.LastIndex + 1;
            prevIndex = _log.LastIndex;
            prevTerm = _log.LastTerm;
        }
        var entries = _log.Slice(pr.Next, _log.LastIndex, _o.MaxEntriesPerMessage, _o.MaxBytesPerMessage);
        if (entries.Length == 0 && !sendIfEmpty) return false;
        Send(new RaftMessage
        {
            Type = MessageType.Append, To = to, Index = prevIndex, LogTerm = prevTerm.Value, Entries = entries,
            Commit = CommitIndex, LeaseStamp = _tickCount,
        });
        pr.Sent(entries.Length > 0 ? entries[^1].Index : prevIndex, entries.Length);
        return entries.Length > 0;
    }

    private bool SendSnapshot(string to, Progress pr)
    {
        if (_latestSnapshot is null) return false;
        Send(new RaftMessage { Type = MessageType.InstallSnapshot, To = to, Snapshot = _latestSnapshot, LeaseStamp = _tickCount });
        pr.BecomeSnapshot(_latestSnapshot.Index);
        pr.StallTicks = 0;
        return false;
    }

    private void BroadcastHeartbeat(ulong context)
    {
        foreach (var (id, pr) in _progress)
        {
            if (id == Id) continue;
            Send(new RaftMessage
            {
                Type = MessageType.Heartbeat, To = id, Commit = Math.Min(pr.Match, CommitIndex),
                Context = context, LeaseStamp = _tickCount,
            });
        }
    }

    /// <summary>Commits the highest index a quorum of voters has persisted, if it is from this term (Figure 8).</summary>
    private bool MaybeCommit()
    {
        var config = Configuration;
        if (config.VoterCount == 0) return false;
        var matches = new List<ulong>(config.VoterCount);
        foreach (var v in config.Voters)
        {
            if (v.Id == Id) matches.Add(_persistedIndex);
            else matches.Add(_progress.TryGetValue(v.Id, out var p) ? p.Match : 0);
        }
        matches.Sort((a, b) => b.CompareTo(a));
        var q = matches[config.Quorum - 1];
        if (q <= CommitIndex || _log.Term(q) != Term) return false;
        CommitIndex = q;
        CommitAdvanced();
        return true;
    }

    private void CommitAdvanced()
    {
        ReleaseWaitingReads();
        // A leader that committed its own removal hands over and steps down.
        if (Role == RaftRole.Leader && !Configuration.Contains(Id) && LatestConfigIndex <= CommitIndex)
        {
            var successor = _progress
                .Where(kv => kv.Key != Id && Configuration.IsVoter(kv.Key) && kv.Value.Match == _log.LastIndex)
                .Select(kv => kv.Key).FirstOrDefault();
            if (successor is not null) SendTimeoutNow(successor);
            BecomeFollower(Term, null);
        }
    }

    /// <summary>Check-quorum: did a quorum of voters (counting ourselves) talk to us this election period?</summary>
    private bool QuorumActive()
    {
        var config = Configuration;
        var active = config.Voters.Count(v => v.Id == Id || (_progress.TryGetValue(v.Id, out var p) && p.RecentActive));
        return active >= config.Quorum;
    }

    /// <summary>The driver could not reach a peer: stop pipelining to it until it answers again.</summary>
    public void ReportUnreachable(string peer)
    {
        if (Role == RaftRole.Leader && _progress.TryGetValue(peer, out var pr) && pr.State == ReplicationState.Replicate)
            pr.BecomeProbe();
    }

    /// <summary>The driver finished (or failed) streaming a snapshot to a peer.</summary>
    public void ReportSnapshot(string peer, bool success)
    {
        if (Role != RaftRole.Leader || !_progress.TryGetValue(peer, out var pr) || pr.State != ReplicationState.Snapshot) return;
        if (!success) pr.PendingSnapshot = 0;
        pr.BecomeProbe();
        pr.ProbeSent = true; // wait for the follower's answer before probing
    }
}
