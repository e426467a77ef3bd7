using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Raft;
using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>
/// Registers what a cluster agent needs beyond a lone one: gossip pools, and either a Raft
/// server (write path through Raft, server RPC feeding client replicas) or a client's
/// replica of the servers' state with writes forwarded to them.
/// </summary>
public static class ClusterServices
{
    public static void Add(IServiceCollection services, AgentConfig config, StateStore store, StateMachine fsm, EventStream events, TimeProvider time)
    {
        var applied = new AppliedIndex();
        services.AddSingleton(applied);
        services.AddSingleton(sp => Tls.RpcTlsSetup.CreateClient(config, sp));
        services.AddSingleton(sp => new GossipPools(config, events, time, sp.GetRequiredService<ILoggerFactory>()));
        if (config.Server) AddServer(services, config, store, fsm, events, time, applied);
        else AddClient(services, config, fsm, time, applied);
        services.AddSingleton<IClusterControl, ClusterControl>();
        services.AddSingleton<Http.QueryFailoverSource>();
        services.AddHostedService<ClusterLifecycle>();
    }

    private static void AddServer(IServiceCollection services, AgentConfig config, StateStore store, StateMachine fsm, EventStream events,
        TimeProvider time, AppliedIndex applied)
    {
        var feed = new StateFeed(store);
        services.AddSingleton(feed);
        services.AddSingleton(sp =>
        {
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var tls = Tls.RpcTlsSetup.ForClients(config, logs);
            var log = logs.CreateLogger("agent.server.raft.transport");
            var snapshots = new GrpcRaftTransport(log, time) { ChannelFactory = ServerRpcClient.Channels(tls) };
            return new TcpRaftTransport(snapshots, tls, log, time);
        });
        services.AddSingleton(sp => sp.GetRequiredService<TcpRaftTransport>().Snapshots);
        services.AddSingleton(sp =>
        {
            var logs = sp.GetRequiredService<ILoggerFactory>();
            var raftFsm = new RaftFsm(fsm);
            raftFsm.Applied += (index, command) =>
            {
                feed.Applied(index, command);
                applied.Advance(index);
            };
            raftFsm.Restored += snapshot =>
            {
                feed.Restored(snapshot.LastIndex);
                applied.Reset(snapshot.LastIndex);
            };
            var storage = new Consul.Core.Raft.Storage.RaftStorage(config.DataDir, logger: logs.CreateLogger("agent.server.raft.storage"));
            Consul.Core.Raft.Storage.PeersJson.RecoverIfPresent(config.DataDir, storage, logs.CreateLogger("agent.server.raft"));
            var options = new RaftNodeOptions
            {
                Id = config.NodeId,
                Address = $"{config.AdvertiseAddr}:{config.Ports.Server}",
                RaftMultiplier = config.Performance.RaftMultiplier,
                SnapshotThreshold = config.RaftSnapshotThreshold,
                SnapshotInterval = config.RaftSnapshotInterval,
                TrailingLogs = config.RaftTrailingLogs,
            };
            var pools = sp.GetRequiredService<GossipPools>();
            return new RaftNode(options, storage, sp.GetRequiredService<TcpRaftTransport>(), raftFsm, time, logs.CreateLogger("agent.server.raft"), events)
            {
                PeerAddressResolver = id => pools.LanMembers().Select(ServerParts.Parse).FirstOrDefault(s => s?.Id == id)?.RpcAddress,
            };
        });
        services.AddSingleton<IRaftPeers>(sp => sp.GetRequiredService<RaftNode>());
        services.AddSingleton(sp => new RaftCommandLog(sp.GetRequiredService<RaftNode>(), store, applied, feed, sp.GetRequiredService<ServerRpcClient>(), time)
        {
            HoldTimeout = config.Performance.RpcHoldTimeout,
        });
        services.AddSingleton<ICommandLog>(sp => sp.GetRequiredService<RaftCommandLog>());
        services.AddSingleton<IServerRpcHandler>(sp => sp.GetRequiredService<RaftCommandLog>());
        services.AddSingleton(_ => new Http.LocalHttpExecutor(config));
        services.AddSingleton(sp => new DatacenterRouter(config.Datacenter, sp.GetRequiredService<GossipPools>().WanMembers,
            sp.GetRequiredService<ServerRpcClient>(), sp.GetRequiredService<Http.LocalHttpExecutor>().RunAsync, new Random()));
        services.AddSingleton<IHttpForwardHandler>(sp => sp.GetRequiredService<DatacenterRouter>());
        services.AddSingleton(sp => new Http.DatacenterForwarder(sp.GetRequiredService<DatacenterRouter>().HandleAsync));
        services.AddSingleton<RaftGrpcService>();
        services.AddSingleton<ServerRpcService>();
        services.AddSingleton(sp => new LeaderReconciler(sp.GetRequiredService<ICommandLog>(), store, sp.GetRequiredService<IRaftPeers>(),
            config.Datacenter, config.NodeName, config.NodeId, sp.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.leader"),
            sp.GetRequiredService<GossipPools>().LanMembers, time));
        services.AddSingleton<IClusterView>(sp =>
        {
            var pools = sp.GetRequiredService<GossipPools>();
            var node = sp.GetRequiredService<RaftNode>();
            return new GossipClusterView(pools.LanMembers, pools.WanMembers,
                () => RaftStatusMapping.From(node.Status, node.Configuration, pools.LanMembers()), config.Datacenter,
                wanRtt: member => pools.Wan is { } wan && wan.GetCoordinate() is { } self && wan.GetCoordinate(member) is { } other
                    ? self.DistanceTo(other) : null);
        });
    }

    private static void AddClient(IServiceCollection services, AgentConfig config, StateMachine fsm, TimeProvider time, AppliedIndex applied)
    {
        services.AddSingleton(sp =>
        {
            var pools = sp.GetRequiredService<GossipPools>();
            var replica = new StateReplica(fsm, applied, sp.GetRequiredService<ServerRpcClient>(), () => pools.Servers(config.Datacenter), time,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("agent.client.replica"));
            // Tokens resolve from this copy; when it is not current, acl.down_policy decides.
            sp.GetRequiredService<Consul.Agent.Acl.AclGate>().ServersReachable = () => replica.IsCurrent;
            return replica;
        });
        services.AddSingleton(sp =>
        {
            var replica = sp.GetRequiredService<StateReplica>();
            return new Http.DatacenterForwarder(new LocalServerForwarder(replica.PickServer, replica.Abandon, sp.GetRequiredService<ServerRpcClient>()).ForwardAsync);
        });
        services.AddSingleton(sp => new ForwardingCommandLog(sp.GetRequiredService<StateReplica>(), applied, sp.GetRequiredService<ServerRpcClient>(), time)
        {
            HoldTimeout = config.Performance.RpcHoldTimeout,
        });
        services.AddSingleton<ICommandLog>(sp => sp.GetRequiredService<ForwardingCommandLog>());
        services.AddSingleton<IClusterView>(sp =>
        {
            var pools = sp.GetRequiredService<GossipPools>();
            var replica = sp.GetRequiredService<StateReplica>();
            return new GossipClusterView(pools.LanMembers, () => [], () => ClientRaftStatus(replica, pools.AliveServers(config.Datacenter)), config.Datacenter);
        });
    }

    /// <summary>What a client knows of Raft: the leader its server reports, and the servers gossip shows.</summary>
    private static Consul.Core.Cluster.RaftStatus ClientRaftStatus(StateReplica replica, IEnumerable<ServerParts> aliveServers)
    {
        var consistency = replica.Consistency;
        var servers = aliveServers
            .Select(s => new RaftServerInfo { ID = s.Id, Node = s.Name, Address = s.RpcAddress, Leader = s.RpcAddress == consistency.LeaderAddress, Voter = true })
            .ToList();
        return new Consul.Core.Cluster.RaftStatus
        {
            State = "Follower",
            LeaderAddress = consistency.KnownLeader ? consistency.LeaderAddress : "",
            LeaderId = servers.FirstOrDefault(s => s.Leader)?.ID ?? "",
            LastContact = consistency.LastContact,
            Servers = servers,
        };
    }
}
