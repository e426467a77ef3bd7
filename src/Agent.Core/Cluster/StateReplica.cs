using Consul.Core.Rpc;
using Consul.Core.State;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Cluster;

/// <summary>
/// A client agent's in-memory copy of the servers' state, followed over the server RPC feed:
/// a full state when it starts (or fell too far behind), then every command the servers
/// apply, in order. The agent's HTTP reads, DNS, blocking queries, anti-entropy and UI read
/// this copy exactly as a server reads its own; nothing of it is written to disk.
/// </summary>
public sealed class StateReplica(StateMachine fsm, AppliedIndex applied, ServerRpcClient rpc,
    Func<IReadOnlyList<string>> servers, TimeProvider time, ILogger log, Random? random = null)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(250);
    /// <summary>Servers send a heartbeat every 500 ms; this much silence means the server hangs (or is paused).</summary>
    public static readonly TimeSpan FeedTimeout = TimeSpan.FromSeconds(3);
    private readonly Random _random = random ?? new Random();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _server;
    private volatile bool _connected;
    private volatile bool _knownLeader;
    private volatile string _leaderAddress = "";
    private long _lastContactTicks;
    private volatile CancellationTokenSource? _following;
    private volatile string? _avoid;

    /// <summary>The server this replica follows now, if any.</summary>
    public string? Server => _connected ? _server : null;

    /// <summary>
    /// Whether this copy is current: a server's feed (heartbeats come every 500 ms) was heard
    /// within <see cref="FeedTimeout"/>. Switching to another server keeps it current; a copy
    /// that never synced, or whose servers fell silent, is not (ACL down_policy then applies).
    /// </summary>
    public bool IsCurrent
    {
        get
        {
            var last = Interlocked.Read(ref _lastContactTicks);
            if (last == 0 || !Synced.IsCompleted) return false;
            var since = time.GetUtcNow().UtcTicks - last;
            return since < FeedTimeout.Ticks;
        }
    }

    /// <summary>Completes once the first full state or catch-up has arrived.</summary>
    public Task Synced => _synced.Task;

    public ConsistencyInfo Consistency
    {
        get
        {
            var since = _connected ? time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastContactTicks), TimeSpan.Zero) : TimeSpan.Zero;
            return new ConsistencyInfo(_connected && _knownLeader, since < TimeSpan.Zero ? TimeSpan.Zero : since, _leaderAddress);
        }
    }

    /// <summary>A server to send a request to: the followed one, else any known one; null when none is known.</summary>
    public string? PickServer() => _connected && _server is { } s ? s : ChooseServer();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var server = ChooseServer();
            if (server is null)
            {
                await Pause(ct);
                continue;
            }
            _server = server;
            try
            {
                await FollowAsync(server, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.LogDebug("replica: feed from {Server} ended: {Error}", server, e.Message);
                _avoid = server;
            }
            _following = null;
            _connected = false;
            _server = null;
            await Pause(ct);
        }
    }

    /// <summary>A request to <paramref name="server"/> failed as if it were gone: follow another one.</summary>
    public void Abandon(string server)
    {
        _avoid = server;
        if (_server != server) return;
        try { _following?.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    private async Task FollowAsync(string server, CancellationToken ct)
    {
        using var following = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _following = following;
        following.CancelAfter(FeedTimeout);
        await foreach (var frame in rpc.SubscribeAsync(server, applied.Value, following.Token))
        {
            following.CancelAfter(FeedTimeout);
            Interlocked.Exchange(ref _lastContactTicks, time.GetUtcNow().UtcTicks);
            switch (frame.Kind)
            {
                case FeedFrameKind.Snapshot:
                    fsm.Restore(StateSnapshotCodec.Read(new MemoryStream(frame.Data.ToArray(), writable: false)));
                    applied.Reset(frame.Index);
                    log.LogDebug("replica: loaded the state at index {Index} from {Server}", frame.Index, server);
                    break;
                case FeedFrameKind.Command when frame.Index > applied.Value:
                    fsm.Apply(frame.Index, frame.Data.Span);
                    applied.Advance(frame.Index);
                    break;
                case FeedFrameKind.Heartbeat:
                    _knownLeader = frame.KnownLeader;
                    _leaderAddress = frame.LeaderAddress;
                    if (!_connected) log.LogInformation("replica: following server {Server} at index {Index}", server, applied.Value);
                    _connected = true;
                    _synced.TrySetResult();
                    break;
            }
        }
    }

    /// <summary>A random known server, not the one that just failed us when there is another.</summary>
    private string? ChooseServer()
    {
        var list = servers();
        if (list.Count > 1 && _avoid is { } avoid) list = list.Where(s => s != avoid).ToList();
        return list.Count == 0 ? null : list[_random.Next(list.Count)];
    }

    private Task Pause(CancellationToken ct) => Task.Delay(RetryPause, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}
