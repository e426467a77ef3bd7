using Consul.Agent.Config;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>How an agent keeps its state: alone in memory, as a Raft server, or as a client of servers.</summary>
public enum ClusterRole { Lone, Server, Client }

public static class ClusterMode
{
    /// <summary>
    /// A dev agent (and an in-process host with gossip turned off) is a lone in-memory server;
    /// every other agent joins a cluster through LAN gossip as a server or a client.
    /// </summary>
    public static ClusterRole Of(AgentConfig c) =>
        c.Dev || c.Ports.SerfLan < 0 ? ClusterRole.Lone : c.Server ? ClusterRole.Server : ClusterRole.Client;
}
