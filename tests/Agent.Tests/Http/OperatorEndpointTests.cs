using System.Net;
using System.Text.Json.Nodes;
using Consul.Agent.Http;
using Consul.Core.Cluster;

namespace Consul.Tests.Http;

/// <summary>A fixed cluster picture: three servers (alice leads), members as given.</summary>
public sealed class FixedClusterView(RaftStatus raft, IReadOnlyList<MemberInfo> members) : IClusterView
{
    public IReadOnlyList<MemberInfo> LanMembers() => members;
    public IReadOnlyList<MemberInfo> WanMembers() => members;
    public RaftStatus Raft() => raft;
    public IReadOnlyList<string> Datacenters() => ["dc1"];

    public static RaftStatus ThreeServers(TimeSpan bobContact, string leaderAddress = "10.0.0.1:8300") => new()
    {
        State = "Leader",
        Term = 7,
        LeaderId = "id-alice",
        LeaderAddress = leaderAddress,
        CommitIndex = 1000,
        AppliedIndex = 1000,
        LastLogIndex = 1000,
        Servers =
        [
            new RaftServerInfo { ID = "id-alice", Node = "alice", Address = "10.0.0.1:8300", Leader = leaderAddress != "", Voter = true, MatchIndex = 1000 },
            new RaftServerInfo { ID = "id-bob", Node = "bob", Address = "10.0.0.2:8300", Voter = true, MatchIndex = 999, LastContact = bobContact },
            new RaftServerInfo { ID = "id-carol", Node = "carol", Address = "10.0.0.3:8300", Voter = false, MatchIndex = 700, LastContact = TimeSpan.FromMilliseconds(15) },
        ],
    };

    public static MemberInfo Member(string name, int status = MemberInfo.StatusAlive) => new()
    {
        Name = name,
        Status = status,
        Tags = new() { ["build"] = "1.21.0:abcdef", ["role"] = "consul", ["dc"] = "dc1" },
    };
}

public sealed class OperatorEndpointTests
{
    private static async Task<JsonNode> Json(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!;

    [Fact(Timeout = 30000)]
    public async Task Raft_configuration_of_dev_agent_in_consuls_shape()
    {
        await using var host = await AgentTestHost.StartAsync();

        var body = await host.GetJson("/v1/operator/raft/configuration");

        Assert.Equal(["Servers", "Index"], AgentTestHost.Keys(body));
        var server = Assert.Single(body!["Servers"]!.AsArray())!;
        Assert.Equal(["ID", "Node", "Address", "Leader", "ProtocolVersion", "Voter", "LastIndex"], AgentTestHost.Keys(server));
        Assert.Equal(host.Config.NodeId, server["ID"]!.GetValue<string>());
        Assert.Equal(AgentTestHost.NodeName, server["Node"]!.GetValue<string>());
        Assert.Equal("127.0.0.1:8300", server["Address"]!.GetValue<string>());
        Assert.True(server["Leader"]!.GetValue<bool>());
        Assert.Equal("3", server["ProtocolVersion"]!.GetValue<string>());
        Assert.True(server["Voter"]!.GetValue<bool>());
        Assert.Equal(1UL, body["Index"]!.GetValue<ulong>());
    }

    [Fact(Timeout = 30000)]
    public async Task Raft_configuration_last_index_follows_the_log()
    {
        await using var host = await AgentTestHost.StartAsync();
        var before = (await host.GetJson("/v1/operator/raft/configuration"))!["Servers"]![0]!["LastIndex"]!.GetValue<ulong>();

        await host.PutOk("/v1/kv/a", "x");
        var after = (await host.GetJson("/v1/operator/raft/configuration"))!["Servers"]![0]!["LastIndex"]!.GetValue<ulong>();

        Assert.True(after > before, $"LastIndex {before} -> {after}");
    }

    [Fact(Timeout = 30000)]
    public async Task Raft_configuration_query_errors()
    {
        await using var host = await AgentTestHost.StartAsync();

        await AgentTestHost.AssertError(await host.Get("/v1/operator/raft/configuration?dc=dc9"), 500, "No path to datacenter");
        await AgentTestHost.AssertError(await host.Get("/v1/operator/raft/configuration?stale&consistent"), 400,
            "Cannot specify ?stale with ?consistent, conflicting semantics.");
    }

    [Fact(Timeout = 30000)]
    public async Task Without_a_leader_only_stale_reads_answer()
    {
        var view = new FixedClusterView(FixedClusterView.ThreeServers(TimeSpan.Zero, leaderAddress: ""),
            [FixedClusterView.Member("alice"), FixedClusterView.Member("bob"), FixedClusterView.Member("carol")]);
        await using var host = await ClusterTestHost.StartAsync(new FakeClusterControl(), view);

        var plain = await host.Client.GetAsync("/v1/operator/raft/configuration");
        var stale = await host.Client.GetAsync("/v1/operator/raft/configuration?stale");
        var health = await host.Client.GetAsync("/v1/operator/autopilot/health?stale");

        await AgentTestHost.AssertError(plain, 500, "No cluster leader");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(3, (await Json(stale))["Servers"]!.AsArray().Count);
        // Server health always goes to the leader.
        await AgentTestHost.AssertError(health, 500, "No cluster leader");
    }

    [Fact(Timeout = 30000)]
    public async Task Remove_peer_parameter_errors_are_consuls_400s()
    {
        await using var host = await AgentTestHost.StartAsync();

        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer"), 400,
            "Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer?id=a&address=b"), 400,
            "Must specify only one of ?id or ?address");
        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer?id=a&dc=dc9"), 500, "No path to datacenter");
    }

    [Fact(Timeout = 30000)]
    public async Task Remove_peer_on_dev_agent_refuses_unknown_and_self()
    {
        await using var host = await AgentTestHost.StartAsync();

        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer?address=nope"), 500,
            "address \"nope\" was not found in the Raft configuration");
        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer?id=nope"), 500,
            "id \"nope\" was not found in the Raft configuration");
        await AgentTestHost.AssertError(await host.Delete($"/v1/operator/raft/peer?id={host.Config.NodeId}"), 500,
            "need at least one voter in configuration: {[]}");
        await AgentTestHost.AssertError(await host.Delete("/v1/operator/raft/peer?address=127.0.0.1:8300"), 500,
            "need at least one voter in configuration: {[]}");
    }

    [Fact(Timeout = 30000)]
    public async Task Remove_peer_passes_id_or_address_by_presence()
    {
        var control = new FakeClusterControl();
        await using var host = await ClusterTestHost.StartAsync(control);

        var byId = await host.Client.DeleteAsync("/v1/operator/raft/peer?id=");
        var byAddress = await host.Client.DeleteAsync("/v1/operator/raft/peer?address=10.0.0.2:8300");

        Assert.Equal(HttpStatusCode.OK, byId.StatusCode);
        Assert.Equal("", await byAddress.Content.ReadAsStringAsync());
        Assert.Equal(["remove-peer id= address=<null>", "remove-peer id=<null> address=10.0.0.2:8300"], control.Calls);
    }

    [Fact(Timeout = 30000)]
    public async Task Transfer_leader_on_dev_agent_has_no_one_to_hand_over_to()
    {
        await using var host = await AgentTestHost.StartAsync();

        await AgentTestHost.AssertError(await host.Send(HttpMethod.Post, "/v1/operator/raft/transfer-leader"), 500,
            "rpc error: code = Unknown desc = cannot find peer");
        await AgentTestHost.AssertError(await host.Send(HttpMethod.Post, $"/v1/operator/raft/transfer-leader?id={host.Config.NodeId}"), 500,
            "rpc error: code = Unknown desc = cannot transfer leadership to itself");
        await AgentTestHost.AssertError(await host.Send(HttpMethod.Post, "/v1/operator/raft/transfer-leader?id=other"), 500,
            "rpc error: code = Unknown desc = Could not find address for server id other");
        await AgentTestHost.AssertError(await host.Get("/v1/operator/raft/transfer-leader"), 405, "method GET not allowed");
    }

    [Fact(Timeout = 30000)]
    public async Task Transfer_leader_success_answers_success_true()
    {
        var control = new FakeClusterControl();
        await using var host = await ClusterTestHost.StartAsync(control);

        var any = await host.Client.PostAsync("/v1/operator/raft/transfer-leader", null);
        var target = await host.Client.PostAsync("/v1/operator/raft/transfer-leader?id=id-bob&pretty", null);

        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(["Success"], AgentTestHost.Keys(await Json(any)));
        Assert.True((await Json(target))["Success"]!.GetValue<bool>());
        Assert.Equal(["transfer-leader id=<null>", "transfer-leader id=id-bob"], control.Calls);
    }

    [Fact(Timeout = 30000)]
    public async Task Autopilot_configuration_defaults()
    {
        await using var host = await AgentTestHost.StartAsync();

        var r = await host.Client.GetAsync("/v1/operator/autopilot/configuration");
        var text = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(["CleanupDeadServers", "LastContactThreshold", "MaxTrailingLogs", "MinQuorum", "ServerStabilizationTime",
            "RedundancyZoneTag", "DisableUpgradeMigration", "UpgradeVersionTag", "CreateIndex", "ModifyIndex"], AgentTestHost.Keys(body));
        Assert.True(body["CleanupDeadServers"]!.GetValue<bool>());
        Assert.Equal("200ms", body["LastContactThreshold"]!.GetValue<string>());
        Assert.Equal(250, body["MaxTrailingLogs"]!.GetValue<int>());
        Assert.Equal(0, body["MinQuorum"]!.GetValue<int>());
        Assert.Equal("10s", body["ServerStabilizationTime"]!.GetValue<string>());
        Assert.Equal("", body["RedundancyZoneTag"]!.GetValue<string>());
        Assert.False(body["DisableUpgradeMigration"]!.GetValue<bool>());
    }

    [Fact(Timeout = 30000)]
    public async Task Autopilot_health_of_dev_agent()
    {
        await using var host = await AgentTestHost.StartAsync();

        var r = await host.Get("/v1/operator/autopilot/health");
        var body = await Json(r);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(["Healthy", "FailureTolerance", "Servers"], AgentTestHost.Keys(body));
        Assert.True(body["Healthy"]!.GetValue<bool>());
        Assert.Equal(0, body["FailureTolerance"]!.GetValue<int>());
        var s = Assert.Single(body["Servers"]!.AsArray())!;
        Assert.Equal(["ID", "Name", "Address", "SerfStatus", "Version", "Leader", "LastContact", "LastTerm", "LastIndex",
            "Healthy", "Voter", "StableSince"], AgentTestHost.Keys(s));
        Assert.Equal(host.Config.NodeId, s["ID"]!.GetValue<string>());
        Assert.Equal(AgentTestHost.NodeName, s["Name"]!.GetValue<string>());
        Assert.Equal("alive", s["SerfStatus"]!.GetValue<string>());
        Assert.Equal(AgentVersion.Version, s["Version"]!.GetValue<string>());
        Assert.Equal("0s", s["LastContact"]!.GetValue<string>());
        Assert.True(s["Leader"]!.GetValue<bool>() && s["Voter"]!.GetValue<bool>() && s["Healthy"]!.GetValue<bool>());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", s["StableSince"]!.GetValue<string>());
    }

    [Fact(Timeout = 30000)]
    public async Task Autopilot_health_is_429_while_a_server_is_unhealthy()
    {
        var view = new FixedClusterView(FixedClusterView.ThreeServers(TimeSpan.FromMilliseconds(500)),
            [FixedClusterView.Member("alice"), FixedClusterView.Member("bob"), FixedClusterView.Member("carol")]);
        await using var host = await ClusterTestHost.StartAsync(new FakeClusterControl(), view);

        var r = await host.Client.GetAsync("/v1/operator/autopilot/health");
        var body = await Json(r);

        Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
        Assert.False(body["Healthy"]!.GetValue<bool>());
        var bob = body["Servers"]![1]!;
        Assert.Equal("bob", bob["Name"]!.GetValue<string>());
        Assert.Equal("500ms", bob["LastContact"]!.GetValue<string>());
        Assert.False(bob["Healthy"]!.GetValue<bool>());
    }

    [Fact]
    public void Server_health_judges_contact_lag_and_serf_status_like_autopilot()
    {
        var members = new[]
        {
            FixedClusterView.Member("alice"), FixedClusterView.Member("bob"), FixedClusterView.Member("carol", MemberInfo.StatusFailed),
        };
        var stable = new DateTimeOffset(2026, 11, 28, 10, 0, 0, 600, TimeSpan.Zero);

        var healthy = OperatorEndpoints.ServerHealth(FixedClusterView.ThreeServers(TimeSpan.FromMilliseconds(20)), members[..2], stable);
        var carolFailed = OperatorEndpoints.ServerHealth(FixedClusterView.ThreeServers(TimeSpan.FromMilliseconds(20)), members, stable);

        // carol trails by 300 entries (> 250 allowed) and is not a voter; alice and bob are healthy voters.
        Assert.Equal([true, true, false], healthy.Servers.Select(s => s.Healthy));
        Assert.Equal("left", healthy.Servers[2].SerfStatus);
        Assert.Equal("", healthy.Servers[2].Name);
        Assert.Equal("", healthy.Servers[2].Version);
        Assert.False(healthy.Healthy);
        Assert.Equal(0, healthy.FailureTolerance); // 2 healthy voters of 2, quorum 2
        Assert.Equal("failed", carolFailed.Servers[2].SerfStatus);
        Assert.Equal(["0s", "20ms", "15ms"], healthy.Servers.Select(s => s.LastContact));
        Assert.Equal([1000UL, 999UL, 700UL], healthy.Servers.Select(s => s.LastIndex));
        Assert.All(healthy.Servers, s => Assert.Equal(7UL, s.LastTerm));
        Assert.Equal("1.21.0", healthy.Servers[0].Version);
        // Go rounds to the nearest second.
        Assert.Equal("2026-11-28T10:00:01Z", healthy.Servers[0].StableSince);
    }

    [Fact]
    public void Failure_tolerance_counts_healthy_voters_above_quorum()
    {
        var servers = Enumerable.Range(1, 5).Select(i => new RaftServerInfo
        {
            ID = $"id-{i}", Node = $"s{i}", Address = $"10.0.0.{i}:8300", Leader = i == 1, Voter = true, MatchIndex = 50,
        }).ToList();
        var raft = new RaftStatus { State = "Leader", Term = 3, LeaderId = "id-1", LeaderAddress = "10.0.0.1:8300", LastLogIndex = 50, Servers = servers };
        var members = servers.Select(s => FixedClusterView.Member(s.Node)).ToList();

        var all = OperatorEndpoints.ServerHealth(raft, members, DateTimeOffset.UnixEpoch);
        var oneDown = OperatorEndpoints.ServerHealth(raft, members.Take(4).ToList(), DateTimeOffset.UnixEpoch);

        Assert.True(all.Healthy);
        Assert.Equal(2, all.FailureTolerance);
        Assert.False(oneDown.Healthy);
        Assert.Equal(1, oneDown.FailureTolerance);
    }
}
