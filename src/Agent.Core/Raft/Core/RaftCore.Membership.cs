namespace Consul.Core.Raft;

/// <summary>A single-server membership change.</summary>
public enum ConfChangeKind { AddVoter, AddNonVoter, RemoveServer }

public sealed partial class RaftCore
{
    private readonly List<(ulong Index, RaftConfiguration Config)> _configs = new();
    private readonly HashSet<string> _promotions = new();
    private string? _transferee;
    private bool _leaseDisabled;

    /// <summary>The latest configuration in the log; it is in force from the moment it is appended.</summary>
    public RaftConfiguration Configuration => _configs[^1].Config;
    public ulong LatestConfigIndex => _configs[^1].Index;
    /// <summary>The configuration in force at <paramref name="index"/> (for snapshot metadata).</summary>
    public (RaftConfiguration Config, ulong Index) ConfigurationAt(ulong index)
    {
        for (var i = _configs.Count - 1; i >= 0; i--)
            if (_configs[i].Index <= index) return (_configs[i].Config, _configs[i].Index);
        return (_configs[0].Config, _configs[0].Index);
    }

    public string? LeadershipTransferTarget => _transferee;

    /// <summary>
    /// Proposes adding or removing one server. AddVoter adds a new server as a non-voter first
    /// and promotes it once it has caught up, so a slow newcomer never stalls commits.
    /// </summary>
    public ProposeResult ProposeConfChange(ConfChangeKind kind, string id, string address)
    {
        if (Role != RaftRole.Leader) return new(ProposeError.NotLeader, 0, 0);
        if (_transferee is not null) return new(ProposeError.TransferInProgress, 0, 0);
        // One change at a time, and only once this leader has committed in its own term
        // (the known single-server-change bug otherwise lets two configurations diverge).
        if (LatestConfigIndex > CommitIndex) return new(ProposeError.ConfigChangeInProgress, 0, 0);
        if (!CommittedInCurrentTerm) return new(ProposeError.NotReady, 0, 0);
        var config = Configuration;
        var existing = config.Find(id);
        RaftConfiguration next;
        switch (kind)
        {
            case ConfChangeKind.AddNonVoter:
                if (existing is not null) return new(ProposeError.None, LatestConfigIndex, Term);
                next = config.With(new ServerInfo(id, address, false));
                break;
            case ConfChangeKind.AddVoter:
                if (existing?.Voter == true) return new(ProposeError.None, LatestConfigIndex, Term);
                _promotions.Add(id);
                if (existing is not null) { MaybePromote(); return new(ProposeError.None, LatestConfigIndex, Term); }
                next = config.With(new ServerInfo(id, address, false));
                break;
            default:
                if (existing is null) return new(ProposeError.UnknownServer, 0, 0);
                _promotions.Remove(id);
                next = config.Without(id);
                break;
        }
        var e = AppendAsLeader(EntryType.Configuration, next.Encode());
        BroadcastAppend();
        return new(ProposeError.None, e.Index, e.Term);
    }

    /// <summary>Promotes pending non-voters whose logs have caught up with the leader's.</summary>
    private void MaybePromote()
    {
        if (_promotions.Count == 0 || Role != RaftRole.Leader || _transferee is not null) return;
        if (LatestConfigIndex > CommitIndex || !CommittedInCurrentTerm) return;
        foreach (var id in _promotions.ToArray())
        {
            var s = Configuration.Find(id);
            if (s is null || s.Voter) { _promotions.Remove(id); continue; }
            if (!_progress.TryGetValue(id, out var pr) || pr.Match + _o.PromotionLag < _log.LastIndex) continue;
            _promotions.Remove(id);
            AppendAsLeader(EntryType.Configuration, Configuration.With(s with { Voter = true }).Encode());
            BroadcastAppend();
            return;
        }
    }

    private void ConfigurationAppended(ulong index, RaftConfiguration config)
    {
        _configs.Add((index, config));
        if (Role != RaftRole.Leader) return;
        foreach (var s in config.Servers)
            if (!_progress.ContainsKey(s.Id)) _progress[s.Id] = new Progress(_log.LastIndex) { RecentActive = true };
        foreach (var id in _progress.Keys.ToArray())
            if (id != Id && !config.Contains(id)) _progress.Remove(id);
    }

    private void ConfigurationTruncated(ulong fromIndex)
    {
        while (_configs.Count > 1 && _configs[^1].Index >= fromIndex) _configs.RemoveAt(_configs.Count - 1);
    }

    /// <summary>Hands leadership to <paramref name="target"/> (TimeoutNow once its log is current).</summary>
    public ProposeError TransferLeadership(string target)
    {
        if (Role != RaftRole.Leader) return ProposeError.NotLeader;
        if (target == Id) return ProposeError.None;
        if (!Configuration.IsVoter(target) || !_progress.TryGetValue(target, out var pr)) return ProposeError.UnknownServer;
        if (_transferee == target) return ProposeError.None;
        _transferee = target;
        // Abort after one election timeout if the target never takes over.
        _electionElapsed = 0;
        if (pr.Match == _log.LastIndex) SendTimeoutNow(target);
        else SendAppend(target, pr, sendIfEmpty: true);
        return ProposeError.None;
    }

    private void SendTimeoutNow(string to)
    {
        // The target will win votes that bypass followers' lease, so our lease ends here.
        _leaseDisabled = true;
        Send(new RaftMessage { Type = MessageType.TimeoutNow, To = to });
    }
}
