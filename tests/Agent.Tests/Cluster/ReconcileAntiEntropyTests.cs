using Consul.Core.Cluster;
using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Core.Raft;
using Consul.Tests.State;

namespace Consul.Tests.Cluster;

/// <summary>
/// The agent's anti-entropy and the leader's reconcile both write this node: the serfHealth
/// check is the leader's alone, and once both have run neither undoes the other.
/// </summary>
public sealed class ReconcileAntiEntropyTests
{
    private readonly StateFixture _state = new();
    private readonly FsmCommandLog _log;
    private readonly FakeRaftPeers _raft = new();
    private readonly LocalState _local;
    private readonly AntiEntropy _antiEntropy;
    private readonly LeaderReconciler _reconciler;
    private readonly MemberInfo _self = Members.Server(Members.LeaderName, "10.0.0.1", Members.LeaderId);

    public ReconcileAntiEntropyTests()
    {
        _log = new FsmCommandLog(_state);
        _raft.Seed(new ServerInfo(Members.LeaderId, "10.0.0.1:8300", true));
        _local = new LocalState(new AgentIdentity
        {
            NodeName = Members.LeaderName, NodeId = Members.LeaderId, Datacenter = "dc1", Address = "10.0.0.1", AddressWan = "10.0.0.1",
            NodeMeta = new() { ["consul-network-segment"] = "", ["consul-version"] = "1.21.0" },
        }, _state.Time);
        _local.AddService(new NodeService { ID = "web", Service = "web", Port = 80 }, "");
        _local.AddCheck(new HealthCheck { CheckID = "web-alive", Name = "web alive", ServiceID = "web", Status = HealthStatus.Passing }, null, "");
        _antiEntropy = new AntiEntropy(_local, _state.Store, _log, _state.Time, new TestLogger());
        _reconciler = new LeaderReconciler(_log, _state.Store, _raft, "dc1", Members.LeaderName, Members.LeaderId, new TestLogger());
    }

    private HealthCheck? SerfHealth => _state.Store.Current.Checks.GetValueOrDefault(Members.LeaderName)?.GetValueOrDefault("serfHealth");

    [Fact(Timeout = 10000)]
    public async Task Sync_keeps_the_leaders_critical_serf_check()
    {
        await _reconciler.HandleAsync(_self, default);
        // The leader (another server, after this one lost contact) marked this node failed.
        _state.Apply(new Consul.Core.State.RegisterCommand
        {
            Node = Members.LeaderName, Address = "10.0.0.1", Datacenter = "dc1", SkipNodeUpdate = true,
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Critical, Output = "Agent not live or unreachable" },
        });

        await _antiEntropy.SyncAsync(default);

        Assert.Equal(HealthStatus.Critical, SerfHealth!.Status);
        Assert.Equal("Agent not live or unreachable", SerfHealth.Output);
        Assert.Equal(HealthStatus.Passing, _state.Store.Current.Checks[Members.LeaderName]["web-alive"].Status);
    }

    [Fact(Timeout = 10000)]
    public async Task Local_check_named_serfHealth_never_overwrites_the_leaders()
    {
        await _reconciler.HandleAsync(_self, default);
        _local.AddCheck(new HealthCheck { CheckID = "serfHealth", Name = "mine", Status = HealthStatus.Critical, Output = "local" }, null, "");

        await _antiEntropy.SyncAsync(default);

        Assert.Equal(HealthStatus.Passing, SerfHealth!.Status);
        Assert.Equal("Serf Health Status", SerfHealth.Name);
        Assert.Equal("Agent alive and reachable", SerfHealth.Output);
    }

    [Fact(Timeout = 10000)]
    public async Task Anti_entropy_first_then_reconcile_settles_without_further_writes()
    {
        await _antiEntropy.SyncAsync(default);
        await _reconciler.ReconcileAsync([_self], default);
        var node = _state.Store.Current.Nodes[Members.LeaderName];
        Assert.Equal("10.0.0.1", node.TaggedAddresses["lan"]);
        var writes = _log.Applied.Count;

        for (var i = 0; i < 3; i++)
        {
            await _antiEntropy.SyncAsync(default);
            await _reconciler.ReconcileAsync([_self], default);
        }

        Assert.Equal(writes, _log.Applied.Count);
        Assert.Equal(HealthStatus.Passing, SerfHealth!.Status);
        Assert.True(_state.Store.Current.Services[Members.LeaderName].ContainsKey("consul"));
        Assert.True(_state.Store.Current.Services[Members.LeaderName].ContainsKey("web"));
    }

    [Fact(Timeout = 10000)]
    public async Task Reconcile_first_then_anti_entropy_settles_without_further_writes()
    {
        await _reconciler.ReconcileAsync([_self], default);
        await _antiEntropy.SyncAsync(default);
        var node = _state.Store.Current.Nodes[Members.LeaderName];
        // The agent's own node meta wins over the leader's first guess and then stays.
        Assert.Equal("", node.Meta["consul-network-segment"]);
        var writes = _log.Applied.Count;

        for (var i = 0; i < 3; i++)
        {
            await _reconciler.ReconcileAsync([_self], default);
            await _antiEntropy.SyncAsync(default);
        }

        Assert.Equal(writes, _log.Applied.Count);
        Assert.Equal(HealthStatus.Passing, SerfHealth!.Status);
    }
}

/// <summary>The dev server's own registration is already what the leader's reconcile wants: no write, no fight.</summary>
public sealed class ReconcileDevBootstrapTests
{
    [Fact(Timeout = 20000)]
    public async Task Dev_server_self_registration_is_a_steady_state_for_reconcile_and_anti_entropy()
    {
        var config = Consul.Agent.Config.AgentConfigLoader.Load(["-dev", "-node", "devsrv"], new Dictionary<string, string?>(), new Random(7));
        var state = new StateFixture();
        var log = new FsmCommandLog(state);
        await Consul.Agent.Hosting.ServerBootstrap.RegisterSelfAsync(config, log, default);
        var self = new MemberInfo
        {
            Name = config.NodeName, Addr = config.AdvertiseAddr, Port = config.Ports.SerfLan, Status = MemberInfo.StatusAlive,
            Tags = Consul.Agent.Hosting.AgentHost.MemberTags(config),
        };
        var raft = new FakeRaftPeers();
        raft.Seed(new ServerInfo(config.NodeId, $"{config.AdvertiseAddr}:{config.Ports.Server}", true));
        var local = new LocalState(new AgentIdentity
        {
            NodeName = config.NodeName, NodeId = config.NodeId, Datacenter = config.Datacenter,
            Address = config.AdvertiseAddr, AddressWan = config.AdvertiseAddrWan,
            NodeMeta = new(config.NodeMeta) { ["consul-network-segment"] = "", ["consul-version"] = Consul.Agent.Http.AgentVersion.Version },
        }, state.Time);
        var antiEntropy = new AntiEntropy(local, state.Store, log, state.Time, new TestLogger());
        var reconciler = new LeaderReconciler(log, state.Store, raft, config.Datacenter, config.NodeName, config.NodeId, new TestLogger());
        var writes = log.Applied.Count;

        await reconciler.ReconcileAsync([self], default);
        await antiEntropy.SyncAsync(default);
        await reconciler.ReconcileAsync([self], default);

        Assert.Equal(writes, log.Applied.Count);
        Assert.Empty(raft.Operations);
    }
}
