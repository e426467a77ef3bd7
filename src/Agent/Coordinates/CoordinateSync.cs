using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.State;

namespace Consul.Agent.Coordinates;

/// <summary>
/// Consul's sendCoordinate loop: every agent writes its LAN coordinate into the catalog, at an
/// interval that grows with the datacenter (members / sync_coordinate_rate_target seconds, at least
/// sync_coordinate_interval_min) plus a random stagger, so the servers see about the target rate
/// whatever the cluster's size. ?near sorting and prepared queries read these coordinates.
/// </summary>
public sealed class CoordinateSync(AgentConfig config, INetworkCoordinates coordinates, IClusterView cluster, ICommandLog log,
    AclGate acl, TimeProvider time, ILogger<CoordinateSync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (config.DisableCoordinates) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(NextInterval(config, cluster.LanMembers().Count, Random.Shared), time, stoppingToken);
                await SendAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // No leader, a server restarting: try again next round, as Consul does.
                logger.LogError("Coordinate update error: error=\"{Error}\"", e.Message);
            }
        }
    }

    /// <summary>Consul's lib.RateScaledInterval plus lib.RandomStagger of the same length.</summary>
    public static TimeSpan NextInterval(AgentConfig config, int members, Random random)
    {
        var scaled = TimeSpan.FromSeconds(members / config.SyncCoordinateRateTarget);
        var interval = scaled > config.SyncCoordinateIntervalMin ? scaled : config.SyncCoordinateIntervalMin;
        return interval + interval * random.NextDouble();
    }

    /// <summary>Writes this agent's coordinate once (the agent token needs node:write on its own node).</summary>
    public async Task SendAsync(CancellationToken ct)
    {
        if (coordinates.Lan() is not { } coord) return;
        var authz = acl.ForAgent();
        if (!authz.NodeWrite(config.NodeName))
        {
            logger.LogWarning("Coordinate update blocked by ACLs: accessorID={Accessor}", authz.AccessorID is { Length: > 0 } id ? id : "anonymous token");
            return;
        }
        var result = await log.ApplyAsync(new CoordinateBatchCommand { Updates = [new CoordinateUpdate(config.NodeName, "", coord)] }, ct);
        if (!result.Ok) logger.LogError("Coordinate update error: error=\"{Error}\"", result.Error);
    }
}
