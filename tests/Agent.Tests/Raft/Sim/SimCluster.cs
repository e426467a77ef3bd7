using Consul.Core.Raft;

namespace Consul.Tests.Raft.Sim;

/// <summary>
/// Runs a whole cluster of cores in one thread over <see cref="SimNetwork"/> with a fake
/// clock, crashing and restarting servers, partitioning, changing membership and proposing,
/// and checks <see cref="RaftInvariants"/> after every step. One seed replays one run.
/// </summary>
public sealed class SimCluster
{
    private const int StepsPerTick = 10;

    private readonly SimOptions _o;
    private readonly Random _rng;
    private readonly SimNetwork _net;
    private readonly Dictionary<string, SimNode> _nodes = new();
    private readonly RaftInvariants _inv = new();
    private readonly Dictionary<(string Node, ulong Index), PendingWrite> _pendingWrites = new();
    private readonly Dictionary<long, ulong> _acked = new();
    private readonly List<PendingRead> _pendingReads = new();
    private readonly List<HistoryEvent> _history = new();
    private readonly ClientState[] _clients;
    private long _now;
    private long _tick;
    private long _nextProposalId = 1;
    private ulong _nextReadContext = 1;
    private int _nextClientId;
    private int _nextValue = 1;
    private long _partitionEndsAt = -1;
    private bool _healed;

    public SimCluster(SimOptions options)
    {
        _o = options;
        _rng = new Random(options.Seed);
        _net = new SimNetwork(_rng)
        {
            LossRate = _rng.NextDouble() * options.MaxLoss,
            DuplicateRate = _rng.NextDouble() * options.MaxDuplicate,
            MaxDelay = _rng.Next(2, 20),
        };
        var ids = Enumerable.Range(1, options.Nodes).Select(i => $"n{i}").ToArray();
        var boot = new RaftConfiguration(ids.Take(options.InitialVoters).Select(id => new ServerInfo(id, id + ":8300", true)));
        foreach (var id in ids)
        {
            var node = new SimNode(id);
            if (Array.IndexOf(ids, id) < options.InitialVoters)
            {
                node.Disk.Hard = new HardState(1, null, 0);
                node.Disk.Append([RaftCore.BootstrapEntry(boot)], 1);
            }
            _nodes[id] = node;
            node.Start(CoreOptions(id), new Random(_rng.Next()));
        }
        _clients = Enumerable.Range(0, options.Clients).Select(_ => new ClientState { Id = _nextClientId++ }).ToArray();
    }

    public IReadOnlyList<HistoryEvent> History => _history;
    public RaftInvariants Invariants => _inv;
    public long Tick => _tick;
    public int AckedCount => _acked.Count;
    public IEnumerable<SimNode> Nodes => _nodes.Values;

    private RaftCoreOptions CoreOptions(string id) => new()
    {
        Id = id, ElectionTicks = _o.ElectionTicks, HeartbeatTicks = 1,
        MaxEntriesPerMessage = 8, MaxInflightMessages = 4, PromotionLag = 4,
    };

    /// <summary>Chaos, then heal; throws <see cref="RaftInvariantException"/> on any violation.</summary>
    public void Run()
    {
        for (var t = 0; t < _o.ChaosTicks; t++)
        {
            Chaos();
            Workload();
            AdvanceTick();
        }
        Heal();
        var leader = RunUntil(_o.HealLeaderTicks, () => CurrentLeader() is { } l && l.Core!.Configuration.Contains(l.Id));
        if (leader is null) throw new RaftInvariantException($"no leader within {_o.HealLeaderTicks} ticks after heal");
        // A new proposal must commit and reach every server in the configuration.
        long id = 0;
        ulong index = 0;
        var done = RunUntil(_o.HealCommitTicks, () =>
        {
            var l = CurrentLeader();
            if (l is null) return false;
            // (Re-)propose when there is no live attempt: none yet, dropped, or stranded in an older term.
            if (id == 0 || !_acked.ContainsKey(id) && !_pendingWrites.Values.Any(p => p.Id == id && p.Term == l.Core!.Term))
            {
                id = _nextProposalId++;
                var r = l.Core!.Propose(new RegisterCommand(id, RegisterOp.Write, -1, 0).Encode());
                // In linearizability runs this write is part of the history too (client -2).
                if (r.Ok) _pendingWrites[(l.Id, r.Index)] = new PendingWrite(id, r.Term, _clients.Length > 0 ? -2 : -1, HistoryOp.Write, -1, 0, _now);
                return false;
            }
            if (!_acked.TryGetValue(id, out index)) return false;
            var config = l.Core!.Configuration;
            return config.Servers.All(s => _nodes[s.Id].Register.AppliedIndex >= index);
        });
        if (done is null) throw new RaftInvariantException($"proposal after heal not applied everywhere within {_o.HealCommitTicks} ticks\n{Describe()}");
        var final = CurrentLeader() ?? throw new RaftInvariantException("leader vanished after heal");
        foreach (var (pid, idx) in _acked)
        {
            if (_inv.IndexOfProposal(pid) != idx)
                throw new RaftInvariantException($"acknowledged proposal {pid} at index {idx} lost");
            if (idx > final.Core!.Log.SnapshotIndex && RegisterCommand.Decode(final.Core.Log.Get(idx).Data).Id != pid)
                throw new RaftInvariantException($"acknowledged proposal {pid} at index {idx} missing from leader {final.Id}'s log");
        }
        foreach (var p in _pendingWrites.Values) RecordUnknown(p);
        _pendingWrites.Clear();
    }

    /// <summary>One line per server, for failure messages.</summary>
    public string Describe() => string.Join("\n", _nodes.Values.Select(n => n.Up
        ? $"{n.Id}: {n.Core!.Role} t{n.Core.Term} lead={n.Core.Leader} commit={n.Core.CommitIndex} last={n.Core.LastIndex} first={n.Core.FirstIndex} applied={n.Register.AppliedIndex} cfg={n.Core.Configuration} " +
          string.Join(" ", n.Core.PeerStatus().Select(p => $"[{p.Id} m{p.MatchIndex} n{p.NextIndex} {p.State}]"))
        : $"{n.Id}: down"));

    private SimNode? CurrentLeader()
    {
        SimNode? best = null;
        foreach (var n in _nodes.Values)
            if (n.Up && n.Core!.Role == RaftRole.Leader && (best is null || n.Core.Term > best.Core!.Term)) best = n;
        return best;
    }

    private SimNode? RunUntil(int maxTicks, Func<bool> condition)
    {
        for (var t = 0; t < maxTicks; t++)
        {
            if (condition()) return CurrentLeader() ?? _nodes.Values.First();
            AdvanceTick();
        }
        return null;
    }

    private void Heal()
    {
        _healed = true;
        _net.Heal();
        _net.LossRate = 0;
        _net.DuplicateRate = 0;
        foreach (var n in _nodes.Values)
            if (!n.Up) Restart(n);
    }

    // ---------------------------------------------------------------- faults

    private void Chaos()
    {
        foreach (var n in _nodes.Values)
            if (!n.Up && n.RestartAtTick <= _tick) Restart(n);
        if (_rng.NextDouble() < _o.CrashPerTick)
        {
            var victim = _nodes.Values.ElementAt(_rng.Next(_nodes.Count));
            if (victim.Up) Crash(victim);
        }
        if (_partitionEndsAt >= 0 && _tick >= _partitionEndsAt) { _net.Heal(); _partitionEndsAt = -1; }
        if (_partitionEndsAt < 0 && _rng.NextDouble() < _o.PartitionPerTick)
        {
            var ids = _nodes.Keys.OrderBy(_ => _rng.Next()).ToArray();
            var cut = _rng.Next(1, ids.Length);
            _net.Partition(ids[..cut], ids[cut..], oneWay: _rng.Next(3) == 0);
            _partitionEndsAt = _tick + _rng.Next(10, 80);
        }
        if (_rng.NextDouble() < _o.MembershipPerTick && CurrentLeader() is { } leader)
        {
            var target = _nodes.Keys.ElementAt(_rng.Next(_nodes.Count));
            var config = leader.Core!.Configuration;
            if (config.Contains(target))
            {
                if (config.VoterCount > 3 || !config.IsVoter(target)) leader.Core.ProposeConfChange(ConfChangeKind.RemoveServer, target, "");
            }
            else leader.Core.ProposeConfChange(ConfChangeKind.AddVoter, target, target + ":8300");
            Process(leader);
        }
    }

    private void Crash(SimNode n)
    {
        n.Crash();
        n.RestartAtTick = _tick + _rng.Next(3, 60);
        foreach (var key in _pendingWrites.Keys.Where(k => k.Node == n.Id).ToArray())
        {
            RecordUnknown(_pendingWrites[key]);
            _pendingWrites.Remove(key);
        }
        _pendingReads.RemoveAll(r => { if (r.Node == n.Id) ClientDone(r.Client); return r.Node == n.Id; });
    }

    private void Restart(SimNode n)
    {
        n.Start(CoreOptions(n.Id), new Random(_rng.Next()));
        n.RestartAtTick = -1;
    }

    // ---------------------------------------------------------------- time

    private void AdvanceTick()
    {
        for (var s = 0; s < StepsPerTick; s++)
        {
            _now++;
            var due = _net.Due(_now);
            foreach (var m in due)
            {
                if (!_nodes.TryGetValue(m.To, out var n) || !n.Up) continue;
                n.Core!.Step(m);
                Process(n);
            }
        }
        _tick++;
        foreach (var n in _nodes.Values)
        {
            if (!n.Up) continue;
            n.Core!.Tick();
            Process(n);
        }
    }

    /// <summary>Runs a node's Ready loop: persist (maybe torn by a crash), send, apply, advance; then checks invariants.</summary>
    private void Process(SimNode n)
    {
        while (n.Up && n.Core!.HasReady)
        {
            var core = n.Core;
            var rd = core.GetReady();
            // Log matching is checked on what gets persisted.
            foreach (var e in rd.Entries) _inv.ObservePersisted(n.Id, e, core.Log.Term(e.Index - 1) ?? 0);
            var tornCrash = rd.MustSync && !_healed && _rng.NextDouble() < _o.CrashPerTick / 20;
            if (rd.Snapshot is not null)
            {
                if (tornCrash && _rng.Next(2) == 0) { CrashDuringWrite(n); break; }
                n.Disk.SaveSnapshot(rd.Snapshot, rd.SnapshotData!);
                if (tornCrash && _rng.Next(2) == 0) { CrashDuringWrite(n); break; }
                n.Disk.ResetLog(rd.Snapshot.Index, rd.Snapshot.Term);
            }
            if (tornCrash)
            {
                // Only a prefix of the entries reached the platter; nothing was acknowledged.
                n.Disk.Append(rd.Entries, _rng.Next(rd.Entries.Count + 1));
                CrashDuringWrite(n);
                break;
            }
            n.Disk.Append(rd.Entries, rd.Entries.Count);
            if (rd.HardState is { } hs) n.Disk.Hard = hs;

            foreach (var m in rd.Messages)
            {
                if (m.Type == MessageType.InstallSnapshot) m.SnapshotData = n.Disk.SnapshotData;
                _net.Send(m, _now);
            }
            if (rd.Snapshot is not null)
            {
                n.Register.Restore(rd.SnapshotData!);
                if (n.Register.AppliedIndex != rd.Snapshot.Index)
                    throw new RaftInvariantException($"{n.Id}: snapshot data at {n.Register.AppliedIndex} but meta says {rd.Snapshot.Index}");
            }
            try { foreach (var e in rd.CommittedEntries) Apply(n, e); }
            catch (RaftInvariantException ex) { throw new RaftInvariantException($"{ex.Message} (tick {_tick})\n{Describe()}"); }
            foreach (var rs in rd.ReadStates) ReadIndexReady(n, rs);
            core.Advance(rd);
            if (core.Role == RaftRole.Leader) _inv.ObserveLeader(n.Id, core.Term);
            MaybeSnapshot(n);
            CompleteReads(n);
        }
    }

    private void CrashDuringWrite(SimNode n) => Crash(n);

    private void Apply(SimNode n, LogEntry e)
    {
        if (e.Index != n.Register.AppliedIndex + 1)
            throw new RaftInvariantException($"{n.Id}: applied index {e.Index} after {n.Register.AppliedIndex}");
        _inv.ObserveApplied(n.Id, e);
        n.Register.AppliedIndex = e.Index;
        var ok = false;
        RegisterCommand cmd = default;
        if (e.Type == EntryType.Command)
        {
            cmd = RegisterCommand.Decode(e.Data);
            ok = n.Register.Apply(cmd);
        }
        if (!_pendingWrites.Remove((n.Id, e.Index), out var p)) return;
        if (p.Term != e.Term || e.Type != EntryType.Command || cmd.Id != p.Id)
        {
            // Our entry was overwritten: it can never commit, so the op did not happen.
            ClientDone(p.Client);
            return;
        }
        _acked[p.Id] = e.Index;
        if (p.Client == HealClient) _history.Add(new HistoryEvent(HealClientId, p.Op, p.A, p.B, p.Invoke, _now, 0, ok));
        if (p.Client >= 0)
        {
            _history.Add(new HistoryEvent(_clients[p.Client].Id, p.Op, p.A, p.B, p.Invoke, _now, 0, ok));
            ClientDone(p.Client);
        }
    }

    private void MaybeSnapshot(SimNode n)
    {
        var core = n.Core!;
        var applied = n.Register.AppliedIndex;
        var last = core.LatestSnapshot?.Index ?? 0;
        if (applied < last + (ulong)_o.SnapshotEvery) return;
        var term = core.Log.Term(applied) ?? throw new RaftInvariantException($"{n.Id}: no term for applied {applied}");
        var (config, configIndex) = core.ConfigurationAt(applied);
        var meta = new SnapshotMeta(applied, term, config, configIndex);
        n.Disk.SaveSnapshot(meta, n.Register.Snapshot());
        var compactTo = applied > (ulong)_o.TrailingLogs ? applied - (ulong)_o.TrailingLogs : 0;
        core.Compact(meta, compactTo);
        if (core.Log.SnapshotIndex > 0) n.Disk.CompactTo(core.Log.SnapshotIndex, core.Log.SnapshotTerm);
    }

    // ---------------------------------------------------------------- clients

    private void Workload()
    {
        if (_clients.Length == 0)
        {
            if (_rng.NextDouble() < _o.ProposePerTick && CurrentLeader() is { } l)
            {
                var id = _nextProposalId++;
                var r = l.Core!.Propose(new RegisterCommand(id, RegisterOp.Write, (int)id, 0).Encode());
                if (r.Ok) _pendingWrites[(l.Id, r.Index)] = new PendingWrite(id, r.Term, -1, HistoryOp.Write, 0, 0, _now);
                Process(l);
            }
            return;
        }
        for (var c = 0; c < _clients.Length; c++)
        {
            if (_clients[c].Busy || _rng.NextDouble() > _o.ProposePerTick) continue;
            var target = _nodes.Values.ElementAt(_rng.Next(_nodes.Count));
            if (!target.Up || target.Core!.Role != RaftRole.Leader) continue;
            IssueClientOp(c, target);
            Process(target);
        }
    }

    private void IssueClientOp(int c, SimNode n)
    {
        var core = n.Core!;
        switch (_rng.Next(4))
        {
            case 0:
            {
                if (!core.TryLeaseRead(out var idx)) return;
                _clients[c].Busy = true;
                _pendingReads.Add(new PendingRead(n.Id, c, 0, idx, _now));
                CompleteReads(n);
                return;
            }
            case 1:
            {
                var ctx = _nextReadContext++;
                if (core.RequestReadIndex(ctx) != ProposeError.None) return;
                _clients[c].Busy = true;
                _pendingReads.Add(new PendingRead(n.Id, c, ctx, 0, _now));
                return;
            }
            default:
            {
                var id = _nextProposalId++;
                var cas = _rng.Next(2) == 0;
                var cmd = cas
                    ? new RegisterCommand(id, RegisterOp.Cas, _rng.Next(Math.Max(1, _nextValue - 3), _nextValue + 1), _nextValue++)
                    : new RegisterCommand(id, RegisterOp.Write, _nextValue++, 0);
                var r = core.Propose(cmd.Encode());
                if (!r.Ok) return;
                _clients[c].Busy = true;
                _pendingWrites[(n.Id, r.Index)] = new PendingWrite(id, r.Term, c, cas ? HistoryOp.Cas : HistoryOp.Write, cmd.A, cmd.B, _now);
                return;
            }
        }
    }

    private void ReadIndexReady(SimNode n, ReadState rs)
    {
        var i = _pendingReads.FindIndex(r => r.Node == n.Id && r.Context == rs.Context && r.Context != 0);
        if (i >= 0) _pendingReads[i] = _pendingReads[i] with { Index = rs.Index, Ready = true };
    }

    private void CompleteReads(SimNode n)
    {
        for (var i = _pendingReads.Count - 1; i >= 0; i--)
        {
            var r = _pendingReads[i];
            if (r.Node != n.Id || (r.Context != 0 && !r.Ready) || n.Register.AppliedIndex < r.Index) continue;
            _pendingReads.RemoveAt(i);
            _history.Add(new HistoryEvent(_clients[r.Client].Id, HistoryOp.Read, 0, 0, r.Invoke, _now, n.Register.Value, false));
            ClientDone(r.Client);
        }
        // Read-index requests on a server that lost leadership before answering are void.
        if (n.Core!.Role != RaftRole.Leader)
            _pendingReads.RemoveAll(r => { var drop = r.Node == n.Id && r.Context != 0 && !r.Ready; if (drop) ClientDone(r.Client); return drop; });
    }

    private const int HealClient = -2;
    private const int HealClientId = 1_000_000;

    private void RecordUnknown(PendingWrite p)
    {
        if (p.Client == HealClient) _history.Add(new HistoryEvent(HealClientId, p.Op, p.A, p.B, p.Invoke, long.MaxValue, 0, false));
        if (p.Client < 0) return;
        _history.Add(new HistoryEvent(_clients[p.Client].Id, p.Op, p.A, p.B, p.Invoke, long.MaxValue, 0, false));
        // The client's fate is unknown: continue as a fresh client, as Jepsen does.
        _clients[p.Client] = new ClientState { Id = _nextClientId++ };
    }

    private void ClientDone(int c)
    {
        if (c >= 0) _clients[c].Busy = false;
    }

    private sealed class ClientState
    {
        public int Id;
        public bool Busy;
    }

    private sealed record PendingWrite(long Id, ulong Term, int Client, HistoryOp Op, int A, int B, long Invoke);

    private sealed record PendingRead(string Node, int Client, ulong Context, ulong Index, long Invoke)
    {
        public bool Ready { get; init; }
    }
}
