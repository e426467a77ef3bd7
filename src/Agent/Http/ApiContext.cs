using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.State;
using Consul.Core.Telemetry;

namespace Consul.Agent.Http;

/// <summary>What the HTTP endpoints need from the running agent (one per agent).</summary>
public sealed class ApiContext
{
    public required AgentConfig Config { get; init; }
    public required StateStore Store { get; init; }
    public required ICommandLog Log { get; init; }
    public required LocalState Local { get; init; }
    public required IClusterView Cluster { get; init; }
    /// <summary>Join, force-leave and Raft peer operations; a lone server's over <see cref="Cluster"/> unless given.</summary>
    public IClusterControl ClusterControl { get => field ??= new SingleServerControl(Cluster, Config.Server, Config.Datacenter); init; }
    public required EventStream Events { get; init; }
    public required AgentMetrics Metrics { get; init; }
    public required IAgentControl Control { get; init; }
    public required SessionTimers SessionTimers { get; init; }
    public required LockDelays LockDelays { get; init; }
    public required UserEventStore UserEvents { get; init; }
    /// <summary>Sends a fired event to every agent through gossip (cluster agents); null delivers it here only.</summary>
    public Action<UserEvent>? BroadcastUserEvent { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Token → authorizer for every request; manage-all while ACLs are disabled.</summary>
    public required AclGate Acl { get; init; }
    /// <summary>This agent's network coordinates (gossip); a lone agent's stay at the origin unless given.</summary>
    public Coordinates.INetworkCoordinates Coordinates { get => field ??= new Coordinates.LoneCoordinates(Config); init; }
    /// <summary>Encoded read answers; emptied whenever the agent's own tokens change.</summary>
    public ResponseCache Responses
    {
        get
        {
            if (_responses is { } r) return r;
            var created = new ResponseCache();
            if (Interlocked.CompareExchange(ref _responses, created, null) is null) Acl.Tokens.Changed += _ => created.Clear();
            return _responses!;
        }
    }
    private ResponseCache? _responses;
    public DateTimeOffset StartedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>Agent-level actions the API triggers (leave, reload, service/check lifecycle).</summary>
public interface IAgentControl
{
    Task LeaveAsync();
    Task<string?> ReloadAsync();
    AgentRegistrar Registrar { get; }
}
