namespace Consul.Core.Raft;

/// <summary>
/// Raft as a pure, single-threaded state machine (after etcd-io/raft): feed it ticks,
/// messages and proposals; collect a <see cref="Ready"/> saying what to persist, send
/// and apply. No I/O, clocks or threads inside, so a simulation can drive many of them
/// deterministically from one seed.
/// </summary>
public sealed partial class RaftCore
{
    private readonly RaftCoreOptions _o;
    private readonly Random _rand;
    private readonly RaftLog _log;
    private readonly List<RaftMessage> _msgs = new();
    private readonly Dictionary<string, Progress> _progress = new();
    private readonly Dictionary<string, bool> _votes = new();

    private ulong _appliedHandedOut;
    private ulong _persistedIndex;
    private int _electionElapsed, _heartbeatElapsed, _randomizedElectionTimeout;
    private long _leaseElapsed;
    private ulong _tickCount;
    private HardState _lastHard;
    private SoftState _lastSoft;
    private SnapshotMeta? _latestSnapshot;
    private SnapshotMeta? _pendingSnapshot;
    private byte[]? _pendingSnapshotData;

    public string Id => _o.Id;
    public ulong Term { get; private set; }
    public string? Vote { get; private set; }
    public RaftRole Role { get; private set; }
    public string? Leader { get; private set; }
    public ulong CommitIndex { get; private set; }
    public ulong LastIndex => _log.LastIndex;
    public ulong FirstIndex => _log.FirstIndex;
    /// <summary>Elections this server started as a real candidate (pre-votes not counted).</summary>
    public long ElectionsStarted { get; private set; }
    public RaftCoreOptions Options => _o;
    /// <summary>Ticks since this server last heard from a leader (0 while it leads).</summary>
    public long TicksSinceLeaderContact => Role == RaftRole.Leader ? 0 : _leaseElapsed;
    public SnapshotMeta? LatestSnapshot => _latestSnapshot;

    internal RaftLog Log => _log;

    /// <param name="hardState">Term and vote from the stable store.</param>
    /// <param name="snapshot">Latest durable snapshot, if any; the log continues after it.</param>
    /// <param name="entries">Durable log entries after the snapshot, in order.</param>
    public RaftCore(RaftCoreOptions options, Random random, HardState hardState, SnapshotMeta? snapshot, IEnumerable<LogEntry> entries)
    {
        _o = options;
        _rand = random;
        _log = new RaftLog(snapshot?.Index ?? 0, snapshot?.Term ?? 0, entries);
        _latestSnapshot = snapshot;
        _persistedIndex = _log.LastIndex;
        Term = hardState.Term;
        Vote = hardState.Vote;
        var snapIndex = snapshot?.Index ?? 0;
        CommitIndex = Math.Min(Math.Max(hardState.Commit, snapIndex), _log.LastIndex);
        _appliedHandedOut = snapIndex;
        _configs.Add((snapshot?.ConfigurationIndex ?? 0, snapshot?.Configuration ?? RaftConfiguration.Empty));
        for (var i = _log.FirstIndex; i <= _log.LastIndex; i++)
        {
            var e = _log.Get(i);
            if (e.Type == EntryType.Configuration) _configs.Add((e.Index, RaftConfiguration.Decode(e.Data)));
        }
        _lastHard = new HardState(Term, Vote, CommitIndex);
        BecomeFollower(Term, null);
        _lastSoft = new SoftState(Role, Leader, Term);
    }

    /// <summary>The first entry of a brand-new cluster: its initial configuration at index 1, term 1.</summary>
    public static LogEntry BootstrapEntry(RaftConfiguration configuration) =>
        new(1, 1, EntryType.Configuration, configuration.Encode());

    private bool Promotable => Configuration.IsVoter(Id);
    private bool CommittedInCurrentTerm => _log.Term(CommitIndex) == Term;

    // ---------------------------------------------------------------- ticks

    /// <summary>Advances logical time by one tick.</summary>
    public void Tick()
    {
        _tickCount++;
        _leaseElapsed++;
        if (Role == RaftRole.Leader) TickLeader();
        else TickElection();
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (Promotable && _electionElapsed >= _randomizedElectionTimeout)
        {
            _electionElapsed = 0;
            Campaign(preVote: _o.PreVote, transfer: false);
        }
    }

    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        foreach (var (id, pr) in _progress)
        {
            if (id == Id) continue;
            pr.TicksSinceContact++;
            pr.StallTicks++;
        }
        if (_electionElapsed >= _o.ElectionTicks)
        {
            _electionElapsed = 0;
            if (_o.CheckQuorum && !QuorumActive())
            {
                BecomeFollower(Term, null);
                return;
            }
            foreach (var (id, pr) in _progress) pr.RecentActive = id == Id;
            _transferee = null;
        }
        if (_heartbeatElapsed >= _o.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat(_pendingReads.Count > 0 ? _pendingReads[^1].Context : 0);
        }
        RecoverStalledPeers();
        MaybePromote();
    }

    // ---------------------------------------------------------------- role changes

    private void Reset(ulong term)
    {
        if (Term != term) { Term = term; Vote = null; }
        Leader = null;
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _o.ElectionTicks + _rand.Next(_o.ElectionTicks);
        _votes.Clear();
        _progress.Clear();
        _transferee = null;
        _pendingReads.Clear();
        _waitingReads.Clear();
        _promotions.Clear();
    }

    private void BecomeFollower(ulong term, string? leader)
    {
        Reset(term);
        Role = RaftRole.Follower;
        Leader = leader;
    }

    private void BecomePreCandidate()
    {
        // Pre-vote does not touch the term or vote, so a partitioned node cannot inflate terms.
        _votes.Clear();
        Role = RaftRole.PreCandidate;
        Leader = null;
    }

    private void BecomeCandidate()
    {
        Reset(Term + 1);
        Vote = Id;
        Role = RaftRole.Candidate;
        ElectionsStarted++;
    }

    private void BecomeLeader()
    {
        Reset(Term);
        Role = RaftRole.Leader;
        Leader = Id;
        _leaseDisabled = false;
        foreach (var s in Configuration.Servers) _progress[s.Id] = new Progress(_log.LastIndex + 1);
        if (!_progress.ContainsKey(Id)) _progress[Id] = new Progress(_log.LastIndex + 1);
        _progress[Id].Match = _persistedIndex;
        _progress[Id].RecentActive = true;
        // A no-op in the new term lets the leader commit (Figure 8) and learn the commit index.
        AppendAsLeader(EntryType.Noop, []);
        BroadcastAppend();
    }

    private void Campaign(bool preVote, bool transfer)
    {
        if (!Promotable) return;
        ulong term;
        MessageType type;
        if (preVote)
        {
            BecomePreCandidate();
            term = Term + 1;
            type = MessageType.PreVote;
        }
        else
        {
            BecomeCandidate();
            term = Term;
            type = MessageType.Vote;
        }
        if (Poll(Id, type, granted: true)) return;
        foreach (var v in Configuration.Voters)
        {
            if (v.Id == Id) continue;
            Send(new RaftMessage
            {
                Type = type, To = v.Id, Term = term, Index = _log.LastIndex, LogTerm = _log.LastTerm, Transfer = transfer,
            });
        }
    }

    /// <summary>Records a (pre-)vote; moves on when the outcome is decided. Returns true when it was.</summary>
    private bool Poll(string from, MessageType voteType, bool granted)
    {
        if (!Configuration.IsVoter(from)) return false;
        _votes.TryAdd(from, granted);
        var yes = _votes.Count(kv => kv.Value && Configuration.IsVoter(kv.Key));
        var no = _votes.Count(kv => !kv.Value && Configuration.IsVoter(kv.Key));
        if (yes >= Configuration.Quorum)
        {
            if (voteType == MessageType.PreVote) Campaign(preVote: false, transfer: false);
            else BecomeLeader();
            return true;
        }
        if (no >= Configuration.Quorum)
        {
            BecomeFollower(Term, null);
            return true;
        }
        return false;
    }

    private void Send(RaftMessage m)
    {
        var stamped = new RaftMessage
        {
            Type = m.Type, From = Id, To = m.To,
            Term = m.Term != 0 ? m.Term : Term,
            LogTerm = m.LogTerm, Index = m.Index, Entries = m.Entries, Commit = m.Commit, Reject = m.Reject,
            RejectHint = m.RejectHint, Context = m.Context, LeaseStamp = m.LeaseStamp, Transfer = m.Transfer,
            Snapshot = m.Snapshot, SnapshotData = m.SnapshotData,
        };
        _msgs.Add(stamped);
    }
}
