using System.Collections.Concurrent;
using Consul.Core.Cluster;
using Consul.Core.Model;
using Consul.Core.Raft;
using Consul.Core.State;
using Consul.Tests.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Cluster;

/// <summary>The leader's member reconcile against a real state machine and an in-memory Raft membership.</summary>
public sealed class ReconcileTests
{
    private readonly StateFixture _state = new();
    private readonly FsmCommandLog _log;
    private readonly FakeRaftPeers _raft = new();
    private readonly TestLogger _logger = new();
    private readonly LeaderReconciler _reconciler;

    public ReconcileTests()
    {
        _log = new FsmCommandLog(_state);
        _raft.Seed(new ServerInfo(Members.LeaderId, "10.0.0.1:8300", true));
        _reconciler = new LeaderReconciler(_log, _state.Store, _raft, "dc1", Members.LeaderName, Members.LeaderId, _logger);
    }

    private StateSnapshot Snap => _state.Store.Current;
    private HealthCheck? SerfHealth(string node) => Snap.Checks.GetValueOrDefault(node)?.GetValueOrDefault("serfHealth");

    [Fact(Timeout = 10000)]
    public async Task Alive_client_gets_node_and_passing_serf_check_without_raft_changes()
    {
        await _reconciler.HandleAsync(Members.Client("web1", "10.0.0.7", "id-web1"), default);

        var node = Snap.Nodes["web1"];
        Assert.Equal("id-web1", node.ID);
        Assert.Equal("10.0.0.7", node.Address);
        Assert.Equal("dc1", node.Datacenter);
        Assert.Equal("1.21.0", node.Meta["consul-version"]);
        var check = SerfHealth("web1")!;
        Assert.Equal(HealthStatus.Passing, check.Status);
        Assert.Equal("Serf Health Status", check.Name);
        Assert.Equal("Agent alive and reachable", check.Output);
        Assert.Empty(Snap.ServicesOn("web1"));
        Assert.Empty(_raft.Operations);
    }

    [Fact(Timeout = 10000)]
    public async Task Alive_server_gets_consul_service_and_a_raft_vote()
    {
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);

        var svc = Snap.Services["s2"]["consul"];
        Assert.Equal("consul", svc.Service);
        Assert.Equal(8300, svc.Port);
        Assert.Equal(new Dictionary<string, string>
        {
            ["non_voter"] = "false", ["read_replica"] = "false", ["raft_version"] = "3",
            ["serf_protocol_current"] = "2", ["serf_protocol_min"] = "1", ["serf_protocol_max"] = "5", ["version"] = "1.21.0",
        }, svc.Meta);
        Assert.Equal(HealthStatus.Passing, SerfHealth("s2")!.Status);
        Assert.Equal(["add id-s2 10.0.0.2:8300"], _raft.Operations);
        Assert.True((await _raft.GetConfigurationAsync()).IsVoter("id-s2"));
    }

    [Fact(Timeout = 10000)]
    public async Task Steady_state_full_pass_writes_nothing()
    {
        var members = new List<MemberInfo>
        {
            Members.Server(Members.LeaderName, "10.0.0.1", Members.LeaderId),
            Members.Server("s2", "10.0.0.2", "id-s2"),
            Members.Client("web1", "10.0.0.7", "id-web1"),
            Members.Client("web2", "10.0.0.8", "id-web2") with { Status = MemberInfo.StatusFailed },
        };
        await _reconciler.HandleAsync(Members.Client("web2", "10.0.0.8", "id-web2"), default);
        await _reconciler.ReconcileAsync(members, default);
        Assert.Equal(HealthStatus.Critical, SerfHealth("web2")!.Status);
        var writes = _log.Applied.Count;
        var raftOps = _raft.Operations.Count;
        var index = Snap.LastIndex;
        Assert.True(writes > 0);

        await _reconciler.ReconcileAsync(members, default);
        foreach (var m in members) await _reconciler.HandleAsync(m, default);

        Assert.Equal(writes, _log.Applied.Count);
        Assert.Equal(raftOps, _raft.Operations.Count);
        Assert.Equal(index, Snap.LastIndex);
    }

    [Fact(Timeout = 10000)]
    public async Task Failed_member_goes_critical_and_keeps_node_and_services()
    {
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2") with { Status = MemberInfo.StatusFailed }, default);

        var check = SerfHealth("s2")!;
        Assert.Equal(HealthStatus.Critical, check.Status);
        Assert.Equal("Agent not live or unreachable", check.Output);
        Assert.True(Snap.Nodes.ContainsKey("s2"));
        Assert.True(Snap.Services["s2"].ContainsKey("consul"));
        // A failed server keeps its Raft seat (it may come back); only leave/reap removes it.
        Assert.True((await _raft.GetConfigurationAsync()).Contains("id-s2"));
    }

    [Fact(Timeout = 10000)]
    public async Task Failed_member_unknown_to_the_catalog_is_ignored()
    {
        await _reconciler.HandleAsync(Members.Client("ghost", "10.0.0.9", "id-ghost") with { Status = MemberInfo.StatusFailed }, default);

        Assert.Empty(_log.Applied);
        Assert.Contains(_logger.Lines, l => l.Contains("does not exist in the catalog", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10000)]
    public async Task Recovery_after_failure_keeps_what_the_agent_synced()
    {
        _state.Apply(new RegisterCommand
        {
            Node = "web1", ID = "id-web1", Address = "10.0.0.7", Datacenter = "dc1",
            TaggedAddresses = new() { ["lan"] = "10.0.0.7", ["wan"] = "198.51.100.7" },
            NodeMeta = new() { ["rack"] = "r1" },
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Critical },
        });

        await _reconciler.HandleAsync(Members.Client("web1", "10.0.0.7", "id-web1"), default);

        var node = Snap.Nodes["web1"];
        Assert.Equal("198.51.100.7", node.TaggedAddresses["wan"]);
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1" }, node.Meta);
        Assert.Equal(HealthStatus.Passing, SerfHealth("web1")!.Status);
    }

    [Fact(Timeout = 10000)]
    public async Task Address_change_rewrites_the_node()
    {
        await _reconciler.HandleAsync(Members.Client("web1", "10.0.0.7", "id-web1"), default);
        await _reconciler.HandleAsync(Members.Client("web1", "10.0.0.70", "id-web1"), default);

        Assert.Equal("10.0.0.70", Snap.Nodes["web1"].Address);
        Assert.Equal(2, _log.Applied.Count);
    }

    [Fact(Timeout = 10000)]
    public async Task Left_server_is_deregistered_and_leaves_raft()
    {
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2") with { Status = MemberInfo.StatusLeft }, default);

        Assert.False(Snap.Nodes.ContainsKey("s2"));
        Assert.Null(SerfHealth("s2"));
        Assert.Equal(["add id-s2 10.0.0.2:8300", "remove id-s2"], _raft.Operations);
    }

    [Fact(Timeout = 10000)]
    public async Task Reaped_member_event_deregisters_and_removes_from_raft()
    {
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2") with { Status = MemberMapping.StatusReap }, default);

        Assert.False(Snap.Nodes.ContainsKey("s2"));
        Assert.False((await _raft.GetConfigurationAsync()).Contains("id-s2"));
    }

    [Fact(Timeout = 10000)]
    public async Task Leader_never_deregisters_or_removes_itself()
    {
        var self = Members.Server(Members.LeaderName, "10.0.0.1", Members.LeaderId);
        await _reconciler.HandleAsync(self, default);
        await _reconciler.HandleAsync(self with { Status = MemberInfo.StatusLeft }, default);
        await _reconciler.HandleAsync(self with { Status = MemberMapping.StatusReap }, default);

        Assert.True(Snap.Nodes.ContainsKey(Members.LeaderName));
        Assert.True((await _raft.GetConfigurationAsync()).Contains(Members.LeaderId));
        Assert.DoesNotContain(_raft.Operations, o => o.StartsWith("remove", StringComparison.Ordinal));
        Assert.Contains(_logger.Lines, l => l.Contains("deregistering self should be done by follower", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10000)]
    public async Task Full_pass_reaps_catalog_nodes_serf_forgot_but_not_the_leader_or_external_nodes()
    {
        var self = Members.Server(Members.LeaderName, "10.0.0.1", Members.LeaderId);
        await _reconciler.HandleAsync(self, default);
        await _reconciler.HandleAsync(Members.Client("old", "10.0.0.30", "id-old"), default);
        await _reconciler.HandleAsync(Members.Server("olds", "10.0.0.31", "id-olds"), default);
        // Registered through /v1/catalog/register: no serfHealth, not the leader's to reap.
        _state.Apply(new RegisterCommand { Node = "external-db", Address = "192.0.2.10", Datacenter = "dc1" });
        var opsBefore = _raft.Operations.Count;

        // The leader's own member is missing from this list too: it must survive anyway.
        await _reconciler.ReconcileAsync([Members.Client("web1", "10.0.0.7", "id-web1")], default);

        Assert.False(Snap.Nodes.ContainsKey("old"));
        Assert.False(Snap.Nodes.ContainsKey("olds"));
        Assert.True(Snap.Nodes.ContainsKey("external-db"));
        Assert.True(Snap.Nodes.ContainsKey(Members.LeaderName));
        Assert.True(Snap.Nodes.ContainsKey("web1"));
        // Catalog-only reaping leaves Raft alone (dead servers are autopilot's business).
        Assert.Equal(opsBefore, _raft.Operations.Count);
    }

    [Fact(Timeout = 10000)]
    public async Task Members_of_other_datacenters_and_leaving_members_are_ignored()
    {
        await _reconciler.ReconcileAsync(
        [
            Members.Client("far", "10.1.0.7", "id-far", dc: "dc2"),
            Members.Server("farserver", "10.1.0.2", "id-fs", dc: "dc2"),
            Members.Client("going", "10.0.0.40", "id-going") with { Status = MemberInfo.StatusLeaving },
            Members.Client("odd", "10.0.0.41", "id-odd") with { Tags = new() { ["dc"] = "dc1", ["role"] = "other" } },
        ], default);

        Assert.Empty(_log.Applied);
        Assert.Empty(_raft.Operations);
    }

    [Fact(Timeout = 10000)]
    public async Task Follower_does_nothing()
    {
        _raft.IsLeader = false;
        await _reconciler.ReconcileAsync([Members.Client("web1", "10.0.0.7", "id-web1")], default);
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);

        Assert.Empty(_log.Applied);
        Assert.Empty(_raft.Operations);
    }

    [Fact(Timeout = 10000)]
    public async Task Losing_leadership_mid_pass_stops_the_pass_before_reaping()
    {
        _state.Apply(new RegisterCommand
        {
            Node = "old", Address = "10.0.0.30", Datacenter = "dc1",
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Passing },
        });
        _log.AfterApply = () => _raft.IsLeader = false;

        await _reconciler.ReconcileAsync(
            [Members.Client("web1", "10.0.0.7", "id-web1"), Members.Client("web2", "10.0.0.8", "id-web2")], default);

        Assert.Single(_log.Applied);
        Assert.True(Snap.Nodes.ContainsKey("old"));
    }

    [Fact(Timeout = 10000)]
    public async Task Read_replica_is_registered_but_gets_no_vote()
    {
        var replica = Members.Server("rr", "10.0.0.5", "id-rr", extra: new() { ["read_replica"] = "1" });
        await _reconciler.HandleAsync(replica, default);

        Assert.Equal("true", Snap.Services["rr"]["consul"].Meta["read_replica"]);
        Assert.Equal("false", Snap.Services["rr"]["consul"].Meta["non_voter"]);
        Assert.Empty(_raft.Operations);
    }

    [Fact(Timeout = 10000)]
    public async Task Second_bootstrap_mode_server_is_not_added_to_raft()
    {
        var a = Members.Server("s2", "10.0.0.2", "id-s2", extra: new() { ["bootstrap"] = "1" });
        var b = Members.Server("s3", "10.0.0.3", "id-s3", extra: new() { ["bootstrap"] = "1" });
        await _reconciler.ReconcileAsync([a, b], default);

        Assert.Empty(_raft.Operations);
        Assert.True(Snap.Nodes.ContainsKey("s2"));
        Assert.Contains(_logger.Lines, l => l.Contains("Two nodes are in bootstrap mode", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10000)]
    public async Task Server_with_a_new_address_is_re_added()
    {
        _raft.Seed(new ServerInfo("id-s2", "10.0.0.2:8300", true));
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.22", "id-s2"), default);

        Assert.Equal(["remove id-s2", "add id-s2 10.0.0.22:8300"], _raft.Operations);
        Assert.Equal("10.0.0.22:8300", (await _raft.GetConfigurationAsync()).Find("id-s2")!.Address);
    }

    [Fact(Timeout = 10000)]
    public async Task Stale_id_at_the_same_address_is_replaced_but_never_the_leader()
    {
        _raft.Seed(new ServerInfo("id-old", "10.0.0.2:8300", true));
        await _reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-new"), default);
        Assert.Equal(["remove id-old", "add id-new 10.0.0.2:8300"], _raft.Operations);

        _raft.Operations.Clear();
        // Someone claims the leader's own Raft address under another ID: leave Raft alone.
        await _reconciler.HandleAsync(Members.Server("impostor", "10.0.0.1", "id-imp"), default);
        Assert.Empty(_raft.Operations);
        Assert.True((await _raft.GetConfigurationAsync()).Contains(Members.LeaderId));
    }

    [Fact(Timeout = 10000)]
    public async Task Stuck_add_voter_times_out_and_the_reconcile_moves_on()
    {
        var time = new FakeTimeProvider();
        _raft.HangAdds = true;
        var reconciler = new LeaderReconciler(_log, _state.Store, _raft, "dc1", Members.LeaderName, Members.LeaderId, _logger, time: time);

        var task = reconciler.HandleAsync(Members.Server("s2", "10.0.0.2", "id-s2"), default);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_raft.Operations.IsEmpty && DateTime.UtcNow < deadline) await Task.Yield();
        Assert.False(task.IsCompleted);
        time.Advance(LeaderReconciler.MembershipChangeTimeout + TimeSpan.FromSeconds(1));
        await task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Contains(_logger.Lines, l => l.Contains("failed to reconcile member s2", StringComparison.Ordinal));
    }

    [Fact(Timeout = 10000)]
    public async Task Rejected_write_is_logged_and_the_pass_continues()
    {
        // A member without a name makes the state machine refuse the registration.
        await _reconciler.ReconcileAsync(
        [
            Members.Client("", "10.0.0.77", "id-nameless"),
            Members.Client("web2", "10.0.0.8", "id-web2"),
        ], default);

        Assert.Contains(_logger.Lines, l => l.Contains("failed to reconcile member", StringComparison.Ordinal) && l.Contains("Must provide node", StringComparison.Ordinal));
        Assert.True(Snap.Nodes.ContainsKey("web2"));
    }
}

/// <summary>Members shaped like AgentHost.MemberTags makes them.</summary>
internal static class Members
{
    public const string LeaderName = "s1";
    public const string LeaderId = "id-s1";

    public static MemberInfo Server(string name, string ip, string id, string dc = "dc1", int expect = 0, Dictionary<string, string>? extra = null)
    {
        var tags = BaseTags(dc, id, "consul");
        tags["port"] = "8300";
        tags["raft_vsn"] = "3";
        tags["wan_join_port"] = "8302";
        if (expect > 0) tags["expect"] = expect.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (k, v) in extra ?? []) tags[k] = v;
        return new MemberInfo { Name = name, Addr = ip, Port = 8301, Tags = tags, Status = MemberInfo.StatusAlive };
    }

    public static MemberInfo Client(string name, string ip, string id, string dc = "dc1") =>
        new() { Name = name, Addr = ip, Port = 8301, Tags = BaseTags(dc, id, "node"), Status = MemberInfo.StatusAlive };

    private static Dictionary<string, string> BaseTags(string dc, string id, string role) => new()
    {
        ["build"] = "1.21.0:consulweb", ["dc"] = dc, ["id"] = id, ["role"] = role, ["segment"] = "",
        ["vsn"] = "2", ["vsn_max"] = "3", ["vsn_min"] = "2",
    };
}

/// <summary>ICommandLog that applies straight to a state machine and remembers every command.</summary>
internal sealed class FsmCommandLog(StateFixture state) : ICommandLog
{
    public List<StateCommand> Applied { get; } = new();

    /// <summary>Runs after each apply (e.g. to lose leadership mid-pass).</summary>
    public Action? AfterApply { get; set; }

    public Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default)
    {
        lock (Applied) Applied.Add(command);
        try { return Task.FromResult(state.Apply(command)); }
        finally { AfterApply?.Invoke(); }
    }


    public Task ConsistentReadBarrierAsync(CancellationToken ct = default) => Task.CompletedTask;
    public ConsistencyInfo Consistency => new(true, TimeSpan.Zero, "");
}

/// <summary>Raft membership as a plain configuration; records each change it is asked for.</summary>
internal sealed class FakeRaftPeers : IRaftPeers
{
    private RaftConfiguration _config = RaftConfiguration.Empty;

    public bool IsLeader { get; set; } = true;
    public bool HangAdds { get; set; }
    public ConcurrentQueue<string> Operations { get; } = new();

    public void Seed(ServerInfo server) => _config = _config.With(server);

    public Task<RaftConfiguration> GetConfigurationAsync() => Task.FromResult(_config);

    public async Task AddVoterAsync(string id, string address, CancellationToken cancellationToken = default)
    {
        Operations.Enqueue($"add {id} {address}");
        if (HangAdds) await Task.Delay(Timeout.Infinite, cancellationToken);
        _config = _config.With(new ServerInfo(id, address, true));
    }

    public Task RemoveServerAsync(string id, CancellationToken cancellationToken = default)
    {
        Operations.Enqueue($"remove {id}");
        _config = _config.Without(id);
        return Task.CompletedTask;
    }
}

internal sealed class TestLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"[{logLevel}] {formatter(state, exception)}");
}
