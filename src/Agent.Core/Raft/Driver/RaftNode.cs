using Consul.Core.Events;
using Consul.Core.Raft.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft;

/// <summary>
/// Runs a <see cref="RaftCore"/> against a real clock, storage, transport and state machine.
/// One thread at a time owns the core: the loop thread, to which ticks, API calls and most
/// inbound messages are queued, or a transport's receiving thread that finds the loop idle and
/// steps its messages itself (<see cref="RaftReceiver.StepNow"/>). Each Ready is persisted with
/// one fsync before its messages leave, so proposals that arrive together share a disk flush
/// (group commit).
/// </summary>
public sealed partial class RaftNode : IAsyncDisposable, IRaftPeers
{
    private readonly RaftNodeOptions _o;
    private readonly IRaftStorage _storage;
    private readonly IRaftTransport _transport;
    private readonly IRaftStateMachine _fsm;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly EventStream? _events;
    private readonly Random _random;
    private DateTimeOffset _nextSnapshotCheck; // core owner only (_owner); see RaftNodeOptions.SnapshotInterval
    private readonly LoopInbox _inbox = new();
    // Held by whichever thread runs the core: the loop thread, or a receiving thread stepping
    // inline (StepNow). A semaphore, not a lock: a thread that holds it must not enter again.
    private readonly SemaphoreSlim _owner = new(1, 1);
    private readonly Dictionary<ulong, (ulong Term, TaskCompletionSource<RaftApplyResult> Tcs)> _proposals = new();
    private readonly Dictionary<ulong, TaskCompletionSource> _readIndexWaiters = new();
    private readonly List<(ulong Index, TaskCompletionSource Tcs)> _appliedWaiters = new();
    private readonly List<(Func<bool> Done, TaskCompletionSource Tcs)> _conditionWaiters = new();
    private readonly Dictionary<string, PeerSender> _senders = new();
    private readonly CancellationTokenSource _stop = new();

    private RaftCore? _core;
    private Task? _loop;
    private ITimer? _ticker;
    private ulong _applied;
    private ulong _nextReadContext;
    private byte[]? _latestSnapshotData;
    private SnapshotMeta? _latestSnapshotMeta;
    private long _snapshotsTaken;
    private volatile RaftConfiguration _lastPublishedConfig = RaftConfiguration.Empty;
    private Exception? _failure;
    private volatile RaftStatus? _status;
    private volatile string? _leaderId;
    private volatile string? _leaderAddress;
    private volatile bool _isLeader;
    private int _stopped;
    private int _disposed;

    public RaftNode(RaftNodeOptions options, IRaftStorage storage, IRaftTransport transport, IRaftStateMachine stateMachine,
        TimeProvider? time = null, ILogger? logger = null, EventStream? events = null, Random? random = null)
    {
        _o = options;
        _storage = storage;
        _transport = transport;
        _fsm = stateMachine;
        _time = time ?? TimeProvider.System;
        _log = logger ?? NullLogger.Instance;
        _events = events;
        _random = random ?? new Random();
    }

    public string Id => _o.Id;
    public string Address => _o.Address;
    public bool IsLeader => _isLeader;
    public string? LeaderId => _leaderId;
    public string? LeaderAddress => _leaderAddress;
    /// <summary>
    /// Finds the address of a server outside this node's configuration. A server that has not
    /// joined yet (empty configuration) must still answer the leader and candidates that contact it.
    /// </summary>
    public Func<string, string?>? PeerAddressResolver { get; set; }

    /// <summary>The configuration this server follows (as of the last loop iteration).</summary>
    public RaftConfiguration Configuration => _lastPublishedConfig;
    /// <summary>Latest status, refreshed after every loop iteration.</summary>
    public RaftStatus? Status => _status;

    /// <summary>Writes the first configuration of a brand-new cluster. Returns false if state already exists.</summary>
    public bool Bootstrap(RaftConfiguration configuration)
    {
        if (_loop is not null) throw new InvalidOperationException("bootstrap before StartAsync");
        if (!_storage.Load().IsEmpty) return false;
        _storage.Bootstrap(configuration);
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_loop is not null) return Task.CompletedTask;
        var state = _storage.Load();
        if (state.Snapshot is not null && state.SnapshotData is not null)
        {
            _fsm.Restore(new MemoryStream(state.SnapshotData, writable: false));
            _applied = state.Snapshot.Index;
            _latestSnapshotMeta = state.Snapshot;
            _latestSnapshotData = state.SnapshotData;
        }
        _core = new RaftCore(_o.CoreOptions(), _random, state.HardState, state.Snapshot, state.Entries);
        _nextSnapshotCheck = _time.GetUtcNow() + StaggeredSnapshotInterval();
        _lastPublishedConfig = _core.Configuration;
        _log.LogInformation("raft: starting {Id} at term {Term}, last index {Last}, snapshot {Snap}",
            _o.Id, _core.Term, _core.LastIndex, state.Snapshot?.Index ?? 0);
        _transport.Start(new Receiver(this));
        // With a snapshot interval the check also runs on ticks: a node that applies nothing more
        // still takes the snapshot it is due (hashicorp/raft checks on a timer).
        _ticker = _time.CreateTimer(_ => Post(() =>
        {
            _core!.Tick();
            if (_o.SnapshotInterval > TimeSpan.Zero && _failure is null) MaybeSnapshot();
        }), null, _o.TickInterval, _o.TickInterval);
        var loopDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop = loopDone.Task;
        new Thread(() =>
        {
            try { RunLoop(); }
            finally { loopDone.TrySetResult(); }
        }) { IsBackground = true, Name = "raft " + _o.Id }.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // Once only: the host may stop the node and then dispose it (more than once, through DI aliases).
        if (_loop is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        _ticker?.Dispose();
        _stop.Cancel();
        _inbox.Complete();
        try { await _loop.WaitAsync(cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        // A receiving thread may still be finishing a pass; once it has, nothing runs the core again.
        await _owner.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        _inbox.AbandonAll(new ObjectDisposedException(nameof(RaftNode), "raft node stopped"));
        foreach (var s in _senders.Values) s.Dispose();
        _isLeader = false;
        _leaderId = null;
        _leaderAddress = null;
        FailAll(new OperationCanceledException("raft node stopped"));
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await StopAsync().ConfigureAwait(false);
        _storage.Dispose();
        _stop.Dispose();
    }

    private void Post(Action a) => _inbox.TryWrite(a);

    /// <summary>Runs <paramref name="f"/> on the loop thread and returns its result.</summary>
    private Task<T> OnLoop<T>(Func<T> f)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        OnLoopCompleting(() => tcs.TrySetResult(f()), e => tcs.TrySetException(e));
        return tcs.Task;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the loop thread, which completes the caller's task itself
    /// (or <paramref name="fail"/> gets what it threw). Unlike awaiting <see cref="OnLoop{T}"/> and
    /// then the task it returns, the caller wakes once, when the result is there, not also in between.
    /// </summary>
    private void OnLoopCompleting(Action work, Action<Exception> fail)
    {
        if (!_inbox.TryWrite(() =>
            {
                try { work(); }
                catch (Exception e) { fail(e); }
            }, fail))
            fail(new ObjectDisposedException(nameof(RaftNode)));
    }

    private void RunLoop()
    {
        try
        {
            while (_inbox.WaitToRead(_stop.Token))
            {
                _owner.Wait(_stop.Token);
                try { RunPass(); }
                finally { _owner.Release(); }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Steps <paramref name="messages"/> on this thread when no other thread runs the core,
    /// else queues them for the one that does (see <see cref="RaftReceiver.StepNow"/>).
    /// </summary>
    private void StepNow(IReadOnlyList<RaftMessage> messages)
    {
        foreach (var m in messages) RaftTrace.Message("recv", m);
        var work = StepWork(messages);
        if (!_owner.Wait(0))
        {
            Post(work);
            return;
        }
        try
        {
            // Queued behind whatever is there, so messages are still stepped in arrival order.
            if (_inbox.TryWrite(work, wake: false)) RunPass();
        }
        finally { _owner.Release(); }
    }

    private Action StepWork(IReadOnlyList<RaftMessage> messages) => () =>
    {
        foreach (var m in messages)
        {
            RaftTrace.Message("step", m);
            _core!.Step(m);
        }
    };

    /// <summary>
    /// One turn of the core, by the thread holding <see cref="_owner"/>: everything queued, so
    /// that proposals that arrived meanwhile go into one Ready and share one fsync, then the Ready.
    /// </summary>
    private void RunPass()
    {
        try
        {
            while (_inbox.TryRead(out var work))
            {
                try { work(); }
                catch (Exception e) when (e is not RaftStorageException) { _log.LogError(e, "raft: error handling request"); }
            }
            if (_failure is null) ProcessReady();
            PublishStatus();
        }
        catch (Exception e)
        {
            _log.LogCritical(e, "raft: loop crashed");
            _failure = e;
            FailAll(e);
            // Nothing runs the core again: what is queued or comes later fails instead of waiting forever.
            _inbox.AbandonAll(e);
        }
    }

    private sealed class Receiver(RaftNode node) : RaftReceiver
    {
        public override void Queue(RaftMessage message)
        {
            RaftTrace.Message("recv", message);
            node.Post(node.StepWork([message]));
        }

        public override void StepNow(IReadOnlyList<RaftMessage> messages) => node.StepNow(messages);
    }
}
