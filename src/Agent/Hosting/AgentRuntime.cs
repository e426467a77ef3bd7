using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Local;

namespace Consul.Agent.Hosting;

/// <summary>Leave and reload for the HTTP API and signals.</summary>
public sealed class AgentRuntime(AgentConfig config, AgentRegistrar registrar, ConfigRegistrations configRegistrations,
    IHostApplicationLifetime lifetime, ILoggerFactory logs, RpcRateLimiter rpcRate) : IAgentControl
{
    private readonly ILogger _log = logs.CreateLogger("agent");

    public AgentRegistrar Registrar => registrar;

    /// <summary>Set by the host: re-reads configuration sources; null when reload is not possible.</summary>
    public Func<AgentConfig?>? ReloadConfig { get; set; }

    /// <summary>Set by /v1/agent/leave: the cluster lifecycle leaves gracefully before stopping.</summary>
    public bool LeaveRequested { get; private set; }

    /// <summary>Set on SIGINT: the agent stops for an interrupt rather than a terminate.</summary>
    public bool Interrupted { get; set; }

    /// <summary>Consul's rule: a leave request always leaves; SIGINT unless skip_leave_on_interrupt; otherwise leave_on_terminate.</summary>
    public bool ShouldLeaveOnShutdown => LeavesOnShutdown(LeaveRequested, Interrupted, config);

    public static bool LeavesOnShutdown(bool leaveRequested, bool interrupted, AgentConfig config) =>
        leaveRequested || (interrupted ? !config.SkipLeaveOnInterrupt : config.LeaveOnTerminate);

    public Task LeaveAsync()
    {
        LeaveRequested = true;
        _log.LogInformation("Requesting shutdown");
        lifetime.StopApplication();
        return Task.CompletedTask;
    }

    /// <summary>Re-reads config files, re-registers the services and checks they define, and applies the new RPC rate limit.</summary>
    public Task<string?> ReloadAsync()
    {
        _log.LogInformation("Reloading configuration...");
        AgentConfig? next;
        try
        {
            next = ReloadConfig?.Invoke() ?? config;
        }
        catch (Exception e)
        {
            return Task.FromResult<string?>(e.Message);
        }
        rpcRate.Update(next.Limits);
        try
        {
            configRegistrations.Apply(next);
        }
        catch (RegistrationException e)
        {
            return Task.FromResult<string?>(e.Message);
        }
        return Task.FromResult<string?>(null);
    }
}
