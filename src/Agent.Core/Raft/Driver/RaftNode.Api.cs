using Microsoft.Extensions.Logging;

namespace Consul.Core.Raft;

public sealed partial class RaftNode
{
    /// <summary>
    /// Replicates <paramref name="command"/>; completes once it is committed and applied on
    /// this server, with the state machine's result. Throws <see cref="NotLeaderException"/>
    /// on a follower.
    /// </summary>
    public Task<RaftApplyResult> ProposeAsync(byte[] command, CancellationToken cancellationToken = default)
    {
        var t = new TaskCompletionSource<RaftApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        OnLoopCompleting(() =>
        {
            ThrowIfFailed();
            var r = _core!.Propose(command);
            ThrowFor(r.Error);
            RaftTrace.Mark?.Invoke("propose", r.Index);
            _proposals[r.Index] = (r.Term, t);
        }, e => t.TrySetException(e));
        return t.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Linearizable read barrier (read-index): afterwards the local state machine reflects every write acknowledged before the call.</summary>
    public Task ReadIndexAsync(CancellationToken cancellationToken = default)
    {
        var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OnLoopCompleting(() => RequestReadIndex(t), e => t.TrySetException(e));
        return t.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Consul's default consistency: served under the leader lease without a round trip;
    /// falls back to read-index when the lease is not held.
    /// </summary>
    public Task LeaseReadAsync(CancellationToken cancellationToken = default)
    {
        var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OnLoopCompleting(() =>
        {
            ThrowIfFailed();
            if (_core!.TryLeaseRead(out var index)) WaitApplied(index, t);
            else RequestReadIndex(t);
        }, e => t.TrySetException(e));
        return t.Task.WaitAsync(cancellationToken);
    }

    private void RequestReadIndex(TaskCompletionSource t)
    {
        ThrowIfFailed();
        var ctx = ++_nextReadContext;
        ThrowFor(_core!.RequestReadIndex(ctx));
        _readIndexWaiters[ctx] = t;
    }

    /// <summary>Adds a server that first catches up as a non-voter; completes once it is a voter in a committed configuration.</summary>
    public Task AddVoterAsync(string id, string address, CancellationToken cancellationToken = default) =>
        ChangeMembershipAsync(ConfChangeKind.AddVoter, id, address, c => c.IsVoter(id), cancellationToken);

    public Task AddNonVoterAsync(string id, string address, CancellationToken cancellationToken = default) =>
        ChangeMembershipAsync(ConfChangeKind.AddNonVoter, id, address, c => c.Contains(id), cancellationToken);

    public Task RemoveServerAsync(string id, CancellationToken cancellationToken = default) =>
        ChangeMembershipAsync(ConfChangeKind.RemoveServer, id, "", c => !c.Contains(id), cancellationToken);

    private async Task ChangeMembershipAsync(ConfChangeKind kind, string id, string address, Func<RaftConfiguration, bool> done, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var tcs = await OnLoop(() =>
            {
                ThrowIfFailed();
                var core = _core!;
                bool Committed() => done(core.ConfigurationAt(core.CommitIndex).Config);
                var r = core.ProposeConfChange(kind, id, address);
                if (r.Error is ProposeError.ConfigChangeInProgress or ProposeError.NotReady) return null;
                ThrowFor(r.Error);
                var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // Also wake up if we lose leadership: the change may then never complete here.
                if (Committed()) t.TrySetResult();
                else _conditionWaiters.Add((() => Committed() || core.Role != RaftRole.Leader, t));
                return t;
            }).ConfigureAwait(false);
            if (tcs is not null)
            {
                await tcs.Task.WaitAsync(ct).ConfigureAwait(false);
                if (await OnLoop(() => done(_core!.ConfigurationAt(_core.CommitIndex).Config)).ConfigureAwait(false)) return;
                throw new NotLeaderException(_leaderId, _leaderAddress, "leadership changed before the membership change completed; retry on the new leader");
            }
            // Another change is still committing: try again shortly.
            await Task.Delay(_o.TickInterval, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands leadership to <paramref name="targetId"/> (or the most up-to-date voter) and
    /// completes when another server leads. Used on graceful leave.
    /// </summary>
    public async Task TransferLeadershipAsync(string? targetId = null, CancellationToken cancellationToken = default)
    {
        var tcs = await OnLoop(() =>
        {
            ThrowIfFailed();
            var core = _core!;
            var target = targetId ?? core.PeerStatus()
                .Where(p => p.Voter && p.Id != _o.Id).OrderByDescending(p => p.MatchIndex).Select(p => p.Id).FirstOrDefault()
                ?? throw new InvalidOperationException("no other voter to transfer leadership to");
            ThrowFor(core.TransferLeadership(target));
            var t = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _conditionWaiters.Add((() => core.Leader is not null && core.Leader != _o.Id, t));
            return t;
        }).ConfigureAwait(false);
        await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Bootstraps a node that is already running but has no state yet (bootstrap_expect: the
    /// servers start Raft first and agree on the first configuration once enough are seen).
    /// False when the node already has state, e.g. a leader has started replicating to it.
    /// </summary>
    public Task<bool> BootstrapRunningAsync(RaftConfiguration configuration) => OnLoop(() =>
    {
        ThrowIfFailed();
        if (_core!.Term != 0 || _core.LastIndex != 0) return false;
        _storage.Bootstrap(configuration);
        var state = _storage.Load();
        _core = new RaftCore(_o.CoreOptions(), _random, state.HardState, state.Snapshot, state.Entries);
        _lastPublishedConfig = _core.Configuration;
        _log.LogInformation("raft: bootstrapped with {Count} servers", configuration.Servers.Count);
        return true;
    });

    /// <summary>Takes a snapshot now (operator command / tests).</summary>
    public Task SnapshotNowAsync() => OnLoop(() => { ThrowIfFailed(); TakeSnapshot(); return true; });

    /// <summary>The configuration this server currently follows.</summary>
    public Task<RaftConfiguration> GetConfigurationAsync() => OnLoop(() => _core!.Configuration);

    private void ThrowIfFailed()
    {
        if (_failure is not null) throw new Storage.RaftStorageException($"raft: server refuses writes after a storage failure: {_failure.Message}", _failure);
        if (_core is null) throw new InvalidOperationException("raft node not started");
    }

    private void ThrowFor(ProposeError error)
    {
        switch (error)
        {
            case ProposeError.None: return;
            case ProposeError.NotLeader:
                throw new NotLeaderException(_leaderId, _leaderAddress);
            case ProposeError.TransferInProgress:
                throw new NotLeaderException(_leaderId, _leaderAddress, "leadership transfer in progress");
            case ProposeError.UnknownServer:
                throw new InvalidOperationException("unknown server");
            default:
                throw new InvalidOperationException($"raft: request refused ({error})");
        }
    }

    // ---------------------------------------------------------------- outbound

    private void SendMessage(RaftMessage m)
    {
        var address = _core!.Configuration.Find(m.To)?.Address ?? _lastPublishedConfig.Find(m.To)?.Address ?? PeerAddressResolver?.Invoke(m.To);
        if (address is null) return;
        if (m.Type == MessageType.InstallSnapshot)
        {
            if (_latestSnapshotMeta is null || m.Snapshot?.Index != _latestSnapshotMeta.Index) return;
            m.SnapshotData = _latestSnapshotData;
        }
        if (!_senders.TryGetValue(m.To, out var sender) || sender.Address != address)
        {
            sender?.Dispose();
            sender = new PeerSender(this, m.To, address);
            _senders[m.To] = sender;
        }
        RaftTrace.Message("queued", m);
        sender.Enqueue(m);
    }
}
