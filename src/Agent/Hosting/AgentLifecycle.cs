using Consul.Agent.Config;
using Consul.Core.Checks;
using Consul.Core.Local;
using Consul.Core.State;

namespace Consul.Agent.Hosting;

/// <summary>
/// Starts and stops the agent's background work around the web host: the leader's own
/// registrations, services and checks from config files, anti-entropy, and the reaper
/// for DeregisterCriticalServiceAfter.
/// </summary>
public sealed class AgentLifecycle(
    AgentConfig config, ICommandLog log, AgentRegistrar registrar, AntiEntropy antiEntropy,
    CheckManager checks, SessionTimers sessionTimers, ConfigRegistrations configRegistrations, StateStore store, TimeProvider time, ILoggerFactory logs) : IHostedService
{
    /// <summary>Consul reaps critical services on this period.</summary>
    public static readonly TimeSpan ReapInterval = TimeSpan.FromSeconds(30);

    private readonly ILogger _log = logs.CreateLogger("agent");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();

    public async Task StartAsync(CancellationToken ct)
    {
        registrar.UsePersistence(LocalPersistence.ForAgent(config.DataDir, config.Dev, time, _log));
        configRegistrations.Apply(config);
        registrar.RestorePersisted();
        if (Cluster.ClusterMode.Of(config) == Cluster.ClusterRole.Lone)
        {
            if (config.Server)
            {
                await ServerBootstrap.RegisterSelfAsync(config, log, ct);
                await Acl.AclInitializer.EnsureAsync(config, log, store, time, ct);
                _log.LogInformation("New leader elected: payload={Node}", config.NodeName);
                sessionTimers.ResetAll();
            }
            await antiEntropy.SyncAsync(ct);
            _log.LogInformation("Synced node info");
            _loops.Add(Task.Run(() => antiEntropy.RunAsync(_stop.Token), CancellationToken.None));
        }
        else
        {
            // A cluster agent syncs once a leader is known; until then writes could only fail.
            _loops.Add(Task.Run(SyncWhenLeaderKnownAsync, CancellationToken.None));
        }
        _loops.Add(Task.Run(ReapLoop, CancellationToken.None));
    }

    private async Task SyncWhenLeaderKnownAsync()
    {
        try
        {
            while (!log.Consistency.KnownLeader) await Task.Delay(TimeSpan.FromMilliseconds(100), time, _stop.Token);
            await antiEntropy.RunAsync(_stop.Token);
        }
        catch (OperationCanceledException) { }
    }

    private async Task ReapLoop()
    {
        using var timer = new PeriodicTimer(ReapInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var id in registrar.ReapCriticalServices())
                    _log.LogInformation("Check for service has been critical for too long; deregistered service: service={Service}", id);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        _log.LogInformation("Requesting shutdown");
        await _stop.CancelAsync();
        await checks.DisposeAsync();
        sessionTimers.Dispose();
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), ct); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        _log.LogInformation("shutdown complete");
    }
}
