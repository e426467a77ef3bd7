using Consul.Core.Events;
using Consul.Core.Raft.Storage;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Raft;

public sealed partial class RaftNode
{
    private void ProcessReady()
    {
        var core = _core!;
        while (core.HasReady)
        {
            var rd = core.GetReady();
            // A leader sends its appends before its own fsync (Raft thesis 10.2.1), so the
            // followers' disk writes overlap with its own. Safe: an entry commits only on
            // acknowledgements that arrive after this Ready, by which time it is durable here too.
            var early = core.Role == RaftRole.Leader ? rd.Messages.Where(m => m.Type == MessageType.Append).ToList() : null;
            if (early is not null) foreach (var m in early) SendMessage(m);
            try { _storage.Persist(rd); }
            catch (Exception e)
            {
                // Nothing from this Ready may be acknowledged: stop acting on the log at all.
                _failure = e as RaftStorageException ?? new RaftStorageException($"raft: storage failed ({e.Message})", e);
                _log.LogCritical(e, "raft: storage failure; this server refuses writes until restarted");
                FailAll(_failure);
                return;
            }
            if (RaftTrace.Mark is { } mark && rd.Entries.Count > 0) mark("persisted", rd.Entries[^1].Index);
            foreach (var m in rd.Messages)
                if (early is null || m.Type != MessageType.Append) SendMessage(m);
            if (rd.Snapshot is not null)
            {
                _fsm.Restore(new MemoryStream(rd.SnapshotData ?? [], writable: false));
                _applied = rd.Snapshot.Index;
                _latestSnapshotMeta = rd.Snapshot;
                _latestSnapshotData = rd.SnapshotData;
                _log.LogInformation("raft: installed snapshot at index {Index} from leader", rd.Snapshot.Index);
            }
            foreach (var e in rd.CommittedEntries) ApplyEntry(e);
            foreach (var rs in rd.ReadStates)
            {
                if (_readIndexWaiters.Remove(rs.Context, out var tcs)) WaitApplied(rs.Index, tcs);
            }
            if (rd.SoftState is { } soft) LeadershipChanged(soft);
            core.Advance(rd);
            MaybeSnapshot();
        }
        ReleaseWaiters();
        PublishConfigChanges();
    }

    private void ApplyEntry(LogEntry e)
    {
        object? result = null;
        if (e.Type == EntryType.Command) result = _fsm.Apply(e.Index, e.Data);
        _applied = e.Index;
        RaftTrace.Mark?.Invoke("applied", e.Index);
        if (_proposals.Remove(e.Index, out var p))
        {
            if (p.Term == e.Term) p.Tcs.TrySetResult(new RaftApplyResult(e.Index, result));
            else p.Tcs.TrySetException(new NotLeaderException(_leaderId, _leaderAddress, "proposal lost: leadership changed before it committed"));
        }
    }

    private void WaitApplied(ulong index, TaskCompletionSource tcs)
    {
        if (_applied >= index) tcs.TrySetResult();
        else _appliedWaiters.Add((index, tcs));
    }

    private void ReleaseWaiters()
    {
        _appliedWaiters.RemoveAll(w => { if (_applied < w.Index) return false; w.Tcs.TrySetResult(); return true; });
        _conditionWaiters.RemoveAll(w => { if (!w.Done()) return false; w.Tcs.TrySetResult(); return true; });
    }

    private void LeadershipChanged(SoftState soft)
    {
        var oldLeader = _leaderId;
        var config = _core!.Configuration;
        _leaderId = soft.Leader;
        _leaderAddress = soft.Leader is null ? null : config.Find(soft.Leader)?.Address ?? PeerAddressResolver?.Invoke(soft.Leader);
        _isLeader = soft.Role == RaftRole.Leader;
        if (oldLeader == soft.Leader) return;
        _log.LogInformation("raft: {Id} sees leader {Leader} in term {Term} (was {Old})", _o.Id, soft.Leader ?? "(none)", soft.Term, oldLeader ?? "(none)");
        if (oldLeader is not null) _events?.Publish(new LeaderLost(oldLeader, soft.Term));
        if (soft.Leader is not null) _events?.Publish(new LeaderElected(soft.Leader, _leaderAddress ?? "", soft.Term));
        if (!_isLeader)
        {
            // Read requests that never got a read index are void; the caller retries on the new leader.
            var ex = new NotLeaderException(_leaderId, _leaderAddress);
            foreach (var w in _readIndexWaiters.Values) w.TrySetException(ex);
            _readIndexWaiters.Clear();
        }
    }

    private void PublishConfigChanges()
    {
        var config = _core!.Configuration;
        if (config.Equals(_lastPublishedConfig)) return;
        foreach (var s in config.Servers)
        {
            var before = _lastPublishedConfig.Find(s.Id);
            if (before is null || before.Voter != s.Voter) _events?.Publish(new PeerAdded(s.Id, s.Address, s.Voter));
        }
        foreach (var s in _lastPublishedConfig.Servers)
            if (!config.Contains(s.Id)) _events?.Publish(new PeerRemoved(s.Id, s.Address));
        _lastPublishedConfig = config;
        // A server that learnt of its leader before the configuration naming it now knows where it is.
        if (_leaderId is { } leader && config.Find(leader) is { } known) _leaderAddress = known.Address;
    }

    private void MaybeSnapshot()
    {
        if (_o.SnapshotInterval > TimeSpan.Zero)
        {
            var now = _time.GetUtcNow();
            if (now < _nextSnapshotCheck) return;
            _nextSnapshotCheck = now + StaggeredSnapshotInterval();
        }
        var last = _latestSnapshotMeta?.Index ?? 0;
        if (_applied < last + (ulong)_o.SnapshotThreshold || _applied == 0) return;
        TakeSnapshot();
    }

    private TimeSpan StaggeredSnapshotInterval() => _o.SnapshotInterval + _o.SnapshotInterval * _random.NextDouble();

    private void TakeSnapshot()
    {
        var core = _core!;
        var term = core.Log.Term(_applied);
        if (term is null) return;
        var (config, configIndex) = core.ConfigurationAt(_applied);
        var meta = new SnapshotMeta(_applied, term.Value, config, configIndex);
        using var ms = new MemoryStream();
        _fsm.WriteSnapshot(ms);
        var data = ms.ToArray();
        var compactTo = _applied > (ulong)_o.TrailingLogs ? _applied - (ulong)_o.TrailingLogs : 0;
        _storage.SaveSnapshot(meta, data, compactTo);
        core.Compact(meta, compactTo);
        _latestSnapshotMeta = meta;
        _latestSnapshotData = data;
        _snapshotsTaken++;
        _log.LogInformation("raft: snapshot at index {Index} ({Bytes} bytes), log compacted to {Compact}", _applied, data.Length, compactTo);
    }

    private void FailAll(Exception e)
    {
        foreach (var p in _proposals.Values) p.Tcs.TrySetException(e);
        _proposals.Clear();
        foreach (var w in _readIndexWaiters.Values) w.TrySetException(e);
        _readIndexWaiters.Clear();
        foreach (var w in _appliedWaiters) w.Tcs.TrySetException(e);
        _appliedWaiters.Clear();
        foreach (var w in _conditionWaiters) w.Tcs.TrySetException(e);
        _conditionWaiters.Clear();
    }

    private void PublishStatus()
    {
        var core = _core;
        if (core is null) return;
        var tick = _o.TickInterval;
        var peers = core.PeerStatus()
            .Select(p => new RaftPeerLag(p.Id, p.Address, p.Voter, p.MatchIndex,
                core.Role == RaftRole.Leader && core.LastIndex > p.MatchIndex ? core.LastIndex - p.MatchIndex : 0,
                p.TicksSinceContact < 0 ? null : tick * p.TicksSinceContact, p.State.ToString()))
            .ToArray();
        _status = new RaftStatus(_o.Id, _o.Address, core.Role, core.Term, core.Leader,
            core.Leader is null ? null : core.Configuration.Find(core.Leader)?.Address,
            core.CommitIndex, _applied, core.LastIndex, _latestSnapshotMeta?.Index ?? 0,
            core.Role == RaftRole.Leader ? TimeSpan.Zero : tick * core.TicksSinceLeaderContact,
            core.ElectionsStarted, _snapshotsTaken, peers, _failure?.Message);
    }
}
