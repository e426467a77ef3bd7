namespace Consul.Core.Raft;

public sealed partial class RaftCore
{
    /// <summary>Feeds one message from a peer into the state machine.</summary>
    public void Step(RaftMessage m)
    {
        if (m.To != Id || m.From == Id) return;

        if (m.Term > Term)
        {
            if (m.Type is MessageType.Vote or MessageType.PreVote && InLease(m)) return;
            if (m.Type == MessageType.PreVote) { /* pre-votes never change our term */ }
            else if (m.Type == MessageType.PreVoteResp && !m.Reject) { /* granted for a term we have not entered yet */ }
            else
            {
                var fromLeader = m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.InstallSnapshot;
                BecomeFollower(m.Term, fromLeader ? m.From : null);
            }
        }
        else if (m.Term < Term)
        {
            if (m.Type is MessageType.Append or MessageType.Heartbeat or MessageType.InstallSnapshot)
            {
                // Tell a stale leader about the newer term so it steps down (needed with pre-vote/check-quorum,
                // which otherwise keep a partitioned old leader's term from ever catching up).
                Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Term = Term, Reject = true, Index = m.Index });
            }
            else if (m.Type == MessageType.PreVote)
            {
                Send(new RaftMessage { Type = MessageType.PreVoteResp, To = m.From, Term = Term, Reject = true });
            }
            return;
        }

        switch (m.Type)
        {
            case MessageType.Vote:
            case MessageType.PreVote:
                HandleVoteRequest(m);
                return;
        }

        switch (Role)
        {
            case RaftRole.Leader: StepLeader(m); break;
            case RaftRole.Candidate:
            case RaftRole.PreCandidate: StepCandidate(m); break;
            default: StepFollower(m); break;
        }
    }

    /// <summary>
    /// A voter that heard from a live leader within the minimum election timeout refuses to
    /// help depose it: this is what makes leader leases safe and stops removed or partitioned
    /// servers from disrupting the cluster. Leadership transfer is the one deliberate exception.
    /// </summary>
    private bool InLease(RaftMessage m)
    {
        if (!_o.CheckQuorum || m.Transfer) return false;
        if (Role == RaftRole.Leader) return true;
        return _leaseElapsed < _o.ElectionTicks;
    }

    private void HandleVoteRequest(RaftMessage m)
    {
        var pre = m.Type == MessageType.PreVote;
        var canVote = Vote == m.From
            || (Vote is null && Leader is null)
            || (pre && m.Term > Term);
        var respType = pre ? MessageType.PreVoteResp : MessageType.VoteResp;
        if (canVote && _log.IsUpToDate(m.Index, m.LogTerm))
        {
            // A granted pre-vote answers in the term asked about, so the candidate can count it.
            Send(new RaftMessage { Type = respType, To = m.From, Term = m.Term });
            if (!pre)
            {
                _electionElapsed = 0;
                Vote = m.From;
            }
        }
        else
        {
            Send(new RaftMessage { Type = respType, To = m.From, Term = Term, Reject = true });
        }
    }

    private void StepCandidate(RaftMessage m)
    {
        var myVoteResp = Role == RaftRole.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
        switch (m.Type)
        {
            case MessageType.Append:
                BecomeFollower(m.Term, m.From);
                HandleAppend(m);
                break;
            case MessageType.Heartbeat:
                BecomeFollower(m.Term, m.From);
                HandleHeartbeat(m);
                break;
            case MessageType.InstallSnapshot:
                BecomeFollower(m.Term, m.From);
                HandleSnapshot(m);
                break;
            case MessageType.VoteResp:
            case MessageType.PreVoteResp:
                if (m.Type == myVoteResp) Poll(m.From, m.Type == MessageType.PreVoteResp ? MessageType.PreVote : MessageType.Vote, !m.Reject);
                break;
        }
    }

    private void StepFollower(RaftMessage m)
    {
        switch (m.Type)
        {
            case MessageType.Append:
                Leader = m.From;
                HandleAppend(m);
                break;
            case MessageType.Heartbeat:
                Leader = m.From;
                HandleHeartbeat(m);
                break;
            case MessageType.InstallSnapshot:
                Leader = m.From;
                HandleSnapshot(m);
                break;
            case MessageType.TimeoutNow:
                // The leader hands over: campaign at once, skipping pre-vote and others' lease.
                Campaign(preVote: false, transfer: true);
                break;
        }
    }

    private void HeardFromLeader()
    {
        _electionElapsed = 0;
        _leaseElapsed = 0;
    }

    private void HandleAppend(RaftMessage m)
    {
        HeardFromLeader();
        if (m.Index < CommitIndex)
        {
            Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Index = CommitIndex, LeaseStamp = m.LeaseStamp });
            return;
        }
        if (_log.MatchTerm(m.Index, m.LogTerm))
        {
            var lastNew = m.Index + (ulong)m.Entries.Length;
            AppendFromLeader(m.Entries);
            var newCommit = Math.Min(m.Commit, lastNew);
            if (newCommit > CommitIndex) CommitIndex = newCommit;
            Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Index = lastNew, LeaseStamp = m.LeaseStamp });
            return;
        }
        var hint = _log.FindConflictByTerm(Math.Min(m.Index, _log.LastIndex), m.LogTerm);
        Send(new RaftMessage
        {
            Type = MessageType.AppendResp, To = m.From, Reject = true, Index = m.Index,
            RejectHint = hint, LogTerm = _log.Term(hint) ?? 0, LeaseStamp = m.LeaseStamp,
        });
    }

    /// <summary>Appends entries after a matching prefix, replacing any conflicting suffix (§5.3).</summary>
    private void AppendFromLeader(LogEntry[] entries)
    {
        foreach (var e in entries)
        {
            var existing = _log.Term(e.Index);
            if (existing == e.Term) continue;
            if (existing is not null)
            {
                if (e.Index <= CommitIndex) throw new InvalidOperationException($"{Id}: conflict at committed index {e.Index}");
                _log.TruncateFrom(e.Index);
                ConfigurationTruncated(e.Index);
                if (_persistedIndex >= e.Index) _persistedIndex = e.Index - 1;
            }
            _log.Append(e);
            if (e.Type == EntryType.Configuration) ConfigurationAppended(e.Index, RaftConfiguration.Decode(e.Data));
        }
    }

    private void HandleHeartbeat(RaftMessage m)
    {
        HeardFromLeader();
        var newCommit = Math.Min(m.Commit, _log.LastIndex);
        if (newCommit > CommitIndex) CommitIndex = newCommit;
        Send(new RaftMessage
        {
            Type = MessageType.HeartbeatResp, To = m.From, Context = m.Context, LeaseStamp = m.LeaseStamp, Index = _log.LastIndex,
        });
    }

    private void HandleSnapshot(RaftMessage m)
    {
        HeardFromLeader();
        var meta = m.Snapshot;
        if (meta is null) return;
        if (meta.Index <= CommitIndex)
        {
            Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Index = CommitIndex, LeaseStamp = m.LeaseStamp });
            return;
        }
        if (_log.MatchTerm(meta.Index, meta.Term))
        {
            // We already hold the entries the snapshot covers: just learn they are committed.
            // Only vouch for the snapshot's index: entries after it may still conflict.
            CommitIndex = meta.Index;
            Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Index = meta.Index, LeaseStamp = m.LeaseStamp });
            return;
        }
        if (m.SnapshotData is null) return;
        _log.RestoreSnapshot(meta.Index, meta.Term);
        _persistedIndex = meta.Index;
        CommitIndex = meta.Index;
        _appliedHandedOut = meta.Index;
        _latestSnapshot = meta;
        _pendingSnapshot = meta;
        _pendingSnapshotData = m.SnapshotData;
        _configs.Clear();
        _configs.Add((meta.ConfigurationIndex, meta.Configuration));
        Send(new RaftMessage { Type = MessageType.AppendResp, To = m.From, Index = meta.Index, LeaseStamp = m.LeaseStamp });
    }
}
