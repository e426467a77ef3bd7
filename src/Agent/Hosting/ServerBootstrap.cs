using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Hosting;

/// <summary>
/// What the leader registers for itself (Consul's leader reconcile): the node with its
/// passing serfHealth check and, for servers, the "consul" service on the server port.
/// </summary>
public static class ServerBootstrap
{
    public const string SerfCheckId = "serfHealth";

    public static async Task RegisterSelfAsync(AgentConfig c, ICommandLog log, CancellationToken ct)
    {
        var tagged = new Dictionary<string, string>
        {
            ["lan"] = c.AdvertiseAddr, ["lan_ipv4"] = c.AdvertiseAddr, ["wan"] = c.AdvertiseAddrWan, ["wan_ipv4"] = c.AdvertiseAddrWan,
        };
        var result = await log.ApplyAsync(new RegisterCommand
        {
            Node = c.NodeName,
            ID = c.NodeId,
            Address = c.AdvertiseAddr,
            Datacenter = c.Datacenter,
            TaggedAddresses = tagged,
            NodeMeta = new Dictionary<string, string>(c.NodeMeta) { ["consul-network-segment"] = "", ["consul-version"] = AgentVersion.Version },
            Service = c.Server ? new NodeService
            {
                ID = "consul",
                Service = "consul",
                Port = c.Ports.Server,
                Meta = new Dictionary<string, string>
                {
                    ["non_voter"] = "false", ["raft_version"] = "3", ["read_replica"] = "false",
                    ["serf_protocol_current"] = "2", ["serf_protocol_max"] = "5", ["serf_protocol_min"] = "1",
                    ["version"] = AgentVersion.Version,
                },
            } : null,
            Check = new HealthCheck
            {
                CheckID = SerfCheckId,
                Name = "Serf Health Status",
                Status = HealthStatus.Passing,
                Output = "Agent alive and reachable",
            },
        }, ct);
        if (!result.Ok) throw new InvalidOperationException(result.Error);
    }
}
