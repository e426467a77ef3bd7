using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Gossip;
using Consul.Core.Raft;
using Consul.Core.Rpc;
using Consul.Core.State;
using Consul.Core.Util;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>
/// Runs a cluster agent's membership and consensus: starts Raft (servers) or the state
/// replica (clients), joins the gossip pools (start_join, retry_join), bootstraps the first
/// Raft configuration (bootstrap, bootstrap_expect), runs the leader's duties while this
/// server leads, and leaves the cluster gracefully on the way out when asked to.
/// </summary>
public sealed class ClusterLifecycle(AgentConfig config, IServiceProvider services, GossipPools pools, SessionTimers sessionTimers,
    AgentRuntime runtime, IHostApplicationLifetime lifetime, TimeProvider time, ILoggerFactory logs) : IHostedService
{
    /// <summary>Consul's reconcile_interval: a full pass over members even when nothing happened.</summary>
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _log = logs.CreateLogger("agent");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();
    /// <summary>Counts membership events; the leader reconciles when it moved.</summary>
    private long _memberEvents;
    private RaftNode? _raft;

    public async Task StartAsync(CancellationToken ct)
    {
        if (config.Server) await StartServerAsync();
        else
        {
            var replica = services.GetRequiredService<StateReplica>();
            var log = services.GetRequiredService<ForwardingCommandLog>();
            sessionTimers.IsLeader = () => false;
            sessionTimers.ForwardRenewal = id => log.RenewSessionAsync(id, _stop.Token);
            Run(() => replica.RunAsync(_stop.Token));
        }
        Run(WatchMembersAsync);
        await JoinAtStartAsync(ct);
        StartRetryJoin(pools.Lan, config.RetryJoin, config.RetryInterval, config.RetryMax, "LAN");
        if (pools.Wan is not null) StartRetryJoin(pools.Wan, config.RetryJoinWan, config.RetryIntervalWan, config.RetryMaxWan, "WAN");
    }

    private async Task StartServerAsync()
    {
        _raft = services.GetRequiredService<RaftNode>();
        var self = new ServerInfo(config.NodeId, _raft.Address, true);
        if (config.Bootstrap && _raft.Bootstrap(new RaftConfiguration([self])))
            _log.LogInformation("agent.server: bootstrapping a new cluster with this server alone (bootstrap mode)");
        var handler = services.GetRequiredService<RaftCommandLog>();
        handler.SessionTimers = sessionTimers;
        var raft = _raft;
        sessionTimers.IsLeader = () => raft.IsLeader;
        sessionTimers.ForwardRenewal = id => handler.RenewSessionAsync(id, forwarded: false, _stop.Token);
        await _raft.StartAsync();
        if (config.BootstrapExpect > 0) Run(BootstrapExpectAsync);
        Run(LeaderDutiesAsync);
        if (pools.Wan is not null) Run(FloodJoinWanAsync);
    }

    private async Task JoinAtStartAsync(CancellationToken ct)
    {
        // start_join is the deprecated one-shot join: failing it stops the agent, as in Consul.
        if (config.StartJoin.Count > 0) await pools.Lan.JoinAsync(config.StartJoin, ct: ct);
        if (config.StartJoinWan.Count > 0 && pools.Wan is not null) await pools.Wan.JoinAsync(config.StartJoinWan, ct: ct);
    }

    private void StartRetryJoin(GossipPool pool, IReadOnlyList<string> addresses, TimeSpan interval, int max, string name)
    {
        if (addresses.Count == 0) return;
        _log.LogInformation("agent: Joining cluster...: cluster={Cluster}", name);
        Run(async () =>
        {
            try { await pool.RetryJoinAsync(addresses, interval, max, _stop.Token); }
            catch (GossipJoinException e)
            {
                _log.LogError("{Error}", e.Message);
                lifetime.StopApplication();
            }
        });
    }

    /// <summary>Wakes the leader's reconcile on every membership change (gossip events are also on the EventStream for the UI).</summary>
    private async Task WatchMembersAsync()
    {
        var userEvents = services.GetRequiredService<Consul.Core.Events.UserEventStore>();
        var local = services.GetRequiredService<Consul.Core.Local.LocalState>();
        await foreach (var e in pools.Lan.Events.ReadAllAsync(_stop.Token))
        {
            if (e is not Consul.Core.Gossip.Serf.UserEvent ue) { Interlocked.Increment(ref _memberEvents); continue; }
            if (Consul.Core.Events.UserEventCodec.Decode(ue.Name, ue.Payload, ue.LTime) is { } consulEvent)
                userEvents.Receive(consulEvent, config.NodeName, local.Services().Select(s => (s.Service.Service, (IReadOnlyList<string>)s.Service.Tags)));
        }
    }

    private async Task BootstrapExpectAsync()
    {
        var raft = _raft!;
        var rpc = services.GetRequiredService<ServerRpcClient>();
        string? lastReason = null;
        while (!_stop.IsCancellationRequested)
        {
            var hasState = (raft.Status?.LastLogIndex ?? 0) > 0 || (raft.Status?.Term ?? 0) > 0;
            if (hasState) return;
            var plan = BootstrapExpect.Decide(pools.LanMembers(), config.Datacenter, config.BootstrapExpect, config.NodeId, hasState);
            if (plan.Outcome == BootstrapOutcome.AlreadyBootstrapped) return;
            if (plan is { Outcome: BootstrapOutcome.Bootstrap, Configuration: { } configuration })
            {
                // Consul's maybeBootstrap: never bootstrap next to a server that already has Raft state.
                if (await AnyPeerHasStateAsync(rpc, configuration, raft.Address))
                {
                    _log.LogInformation("agent.server: existing Raft peers reported by server, disabling bootstrap mode");
                    return;
                }
                if (await raft.BootstrapRunningAsync(configuration))
                    _log.LogInformation("agent.server: found expected number of peers, attempting bootstrap: peers={Peers}",
                        string.Join(",", configuration.Servers.Select(s => s.Address)));
                return;
            }
            if (plan.Outcome == BootstrapOutcome.Conflict && plan.Reason != lastReason) _log.LogError("agent.server: {Reason}", plan.Reason);
            lastReason = plan.Reason;
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, _stop.Token);
        }
    }

    private async Task<bool> AnyPeerHasStateAsync(ServerRpcClient rpc, RaftConfiguration configuration, string selfAddress)
    {
        foreach (var server in configuration.Servers.Where(s => s.Address != selfAddress))
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    if (await rpc.RaftLastIndexAsync(server.Address, _stop.Token) > 0) return true;
                    break;
                }
                catch (ServerRpcException e)
                {
                    _log.LogDebug("agent.server: asking {Server} for its Raft state failed: {Error}", server.Address, e.Message);
                    await Task.Delay(TimeSpan.FromMilliseconds(500), time, _stop.Token);
                }
            }
        }
        return false;
    }

    /// <summary>While this server leads: session timers, and reconciling gossip members into the catalog and Raft.</summary>
    private async Task LeaderDutiesAsync()
    {
        var raft = _raft!;
        var reconciler = services.GetRequiredService<LeaderReconciler>();
        var leading = false;
        var nextFullPass = DateTimeOffset.MinValue;
        long reconciledEvents = -1;
        var aclReady = false;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(Poll, time, _stop.Token);
            var events = Interlocked.Read(ref _memberEvents);
            if (raft.IsLeader != leading)
            {
                leading = raft.IsLeader;
                if (leading)
                {
                    _log.LogInformation("agent.server: cluster leadership acquired");
                    sessionTimers.ResetAll();
                    nextFullPass = DateTimeOffset.MinValue;
                    aclReady = false;
                }
                else
                {
                    _log.LogInformation("agent.server: cluster leadership lost");
                    sessionTimers.StopAll();
                }
            }
            if (leading && !aclReady)
            {
                try
                {
                    await Acl.AclInitializer.EnsureAsync(config, services.GetRequiredService<ICommandLog>(), services.GetRequiredService<StateStore>(), time, _stop.Token);
                    aclReady = true;
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    _log.LogWarning("agent.server: failed to initialize ACLs: {Error}", e.Message);
                }
            }
            if (!leading || (events == reconciledEvents && time.GetUtcNow() < nextFullPass)) continue;
            try
            {
                var members = pools.LanMembers();
                await reconciler.ReconcileAsync(members, _stop.Token);
                if (config.Autopilot.CleanupDeadServers) await RemoveDeadServersAsync(raft, members);
                reconciledEvents = events;
                nextFullPass = time.GetUtcNow() + ReconcileInterval;
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                _log.LogWarning("agent.server: failed to reconcile members: {Error}", e.Message);
                nextFullPass = time.GetUtcNow() + TimeSpan.FromSeconds(1);
            }
        }
    }

    private async Task RemoveDeadServersAsync(RaftNode raft, IReadOnlyList<Consul.Core.Cluster.MemberInfo> members)
    {
        foreach (var dead in DeadServerCleanup.Removable(raft.Configuration, members, config.NodeId, config.Autopilot.MinQuorum))
        {
            _log.LogInformation("agent.server.autopilot: Attempting removal of failed server node: id={Id} address={Address}", dead.Id, dead.Address);
            await raft.RemoveServerAsync(dead.Id, _stop.Token).WaitAsync(TimeSpan.FromSeconds(10), _stop.Token);
        }
    }

    /// <summary>Servers join the WAN pool of their own datacenter's servers as LAN gossip finds them.</summary>
    private async Task FloodJoinWanAsync()
    {
        var wan = pools.Wan!;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, _stop.Token);
            var missing = WanFloodJoin.Missing(pools.LanMembers(), pools.WanMembers(), config.Datacenter);
            if (missing.Count == 0) continue;
            try { await wan.JoinAsync(missing, ct: _stop.Token); }
            catch (GossipJoinException e) { _log.LogDebug("agent.server: WAN flood join failed: {Error}", e.Message); }
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (runtime.ShouldLeaveOnShutdown) await LeaveAsync();
        await _stop.CancelAsync();
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), ct); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        await pools.DisposeAsync();
        if (_raft is not null) await _raft.DisposeAsync();
    }

    /// <summary>
    /// Graceful leave: a leading server hands over first; then the gossip leave spreads so the
    /// leader deregisters us. A server then lets RPC traffic drain (performance.leave_drain_time)
    /// and, as Consul's Server.Leave does, waits up to 5 s to see itself out of the Raft
    /// configuration, so the cluster's quorum shrinks before it goes.
    /// </summary>
    private async Task LeaveAsync()
    {
        _log.LogInformation("agent: Gracefully shutting down agent...");
        if (_raft is { IsLeader: true } raft && raft.Configuration.VoterCount > 1)
        {
            try { await raft.TransferLeadershipAsync().WaitAsync(TimeSpan.FromSeconds(5)); }
            catch (Exception e) { _log.LogWarning("agent.server: leadership transfer before leaving failed: {Error}", e.Message); }
        }
        try
        {
            if (pools.Wan is not null) await pools.Wan.LeaveAsync();
            await pools.Lan.LeaveAsync();
        }
        catch (Exception e) { _log.LogWarning("agent: leave failed: {Error}", e.Message); }
        if (_raft is { } server)
        {
            _log.LogInformation("agent.server: Waiting to drain RPC traffic: drain_time={DrainTime}", GoDuration.Format(config.Performance.LeaveDrainTime));
            if (config.Performance.LeaveDrainTime > TimeSpan.Zero) await Task.Delay(config.Performance.LeaveDrainTime, time);
            await WaitForRaftRemovalAsync(server);
        }
        _log.LogInformation("agent: Graceful leave complete");
    }

    private async Task WaitForRaftRemovalAsync(RaftNode server)
    {
        if (server.IsLeader || !server.Configuration.Contains(config.NodeId)) return;
        var limit = time.GetUtcNow() + TimeSpan.FromSeconds(5);
        while (time.GetUtcNow() < limit)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
            if (!server.Configuration.Contains(config.NodeId)) return;
        }
        _log.LogWarning("agent.server: failed to leave raft configuration gracefully, timeout");
    }

    private void Run(Func<Task> loop) => _loops.Add(Task.Run(async () =>
    {
        try { await loop(); }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e) { _log.LogError(e, "agent: background task failed"); }
    }));
}
