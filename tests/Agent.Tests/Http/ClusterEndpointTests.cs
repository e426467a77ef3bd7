using System.Collections.Concurrent;
using System.Net;
using Consul.Agent.Hosting;
using Consul.Core.Cluster;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Http;

/// <summary>An IClusterControl that records what it was asked and fails when told to.</summary>
public sealed class FakeClusterControl : IClusterControl
{
    public ConcurrentQueue<string> Calls { get; } = new();
    public string? FailWith { get; set; }

    public Task<int> JoinAsync(IReadOnlyList<string> addresses, bool wan, CancellationToken ct) =>
        Record($"join [{string.Join(",", addresses)}] wan={wan}", addresses.Count);

    public Task ForceLeaveAsync(string node, bool prune, bool wan, CancellationToken ct) =>
        Record($"force-leave '{node}' prune={prune} wan={wan}", 0);

    public Task RemoveRaftPeerAsync(string? id, string? address, CancellationToken ct) =>
        Record($"remove-peer id={id ?? "<null>"} address={address ?? "<null>"}", 0);

    public Task TransferLeadershipAsync(string? targetId, CancellationToken ct) =>
        Record($"transfer-leader id={targetId ?? "<null>"}", 0);

    private Task<int> Record(string call, int result)
    {
        Calls.Enqueue(call);
        if (FailWith is { } message) throw new ClusterOperationException(message);
        return Task.FromResult(result);
    }
}

/// <summary>A dev agent whose cluster control (and, if given, cluster view) are test doubles.</summary>
public sealed class ClusterTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClusterTestHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public HttpClient Client { get; }

    public static async Task<ClusterTestHost> StartAsync(IClusterControl control, IClusterView? view = null)
    {
        var app = AgentHost.Build(AgentTestHost.DefaultConfig(), b =>
        {
            b.WebHost.UseTestServer();
            // Registered after the agent's own services, so these win.
            b.Services.AddSingleton(control);
            if (view is not null) b.Services.AddSingleton(view);
        });
        await app.StartAsync();
        return new ClusterTestHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}

public sealed class ClusterEndpointTests
{
    [Fact(Timeout = 30000)]
    public async Task Join_on_dev_agent_is_500_with_memberlist_style_error()
    {
        await using var host = await AgentTestHost.StartAsync();

        var r = await host.Put("/v1/agent/join/127.0.0.2");

        await AgentTestHost.AssertError(r, 500,
            "1 error occurred:\n\t* Failed to join 127.0.0.2: this agent runs without a gossip pool (dev mode), so it cannot join a cluster\n\n");
    }

    [Fact(Timeout = 30000)]
    public async Task Join_passes_address_and_wan_and_answers_empty_200()
    {
        var control = new FakeClusterControl();
        await using var host = await ClusterTestHost.StartAsync(control);

        var lan = await host.Client.PutAsync("/v1/agent/join/10.0.0.2:8301", null);
        var wan = await host.Client.PutAsync("/v1/agent/join/10.0.0.3?wan=1", null);
        // Consul turns wan on only for a non-empty value.
        var emptyWan = await host.Client.PutAsync("/v1/agent/join/10.0.0.4?wan=", null);

        foreach (var r in new[] { lan, wan, emptyWan })
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal("", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal(["join [10.0.0.2:8301] wan=False", "join [10.0.0.3] wan=True", "join [10.0.0.4] wan=False"], control.Calls);
    }

    [Fact(Timeout = 30000)]
    public async Task Join_failure_text_is_passed_through_as_500()
    {
        var control = new FakeClusterControl { FailWith = "1 error occurred:\n\t* Failed to join 10.0.0.9:8301: dial tcp: i/o timeout\n\n" };
        await using var host = await ClusterTestHost.StartAsync(control);

        var r = await host.Client.PutAsync("/v1/agent/join/10.0.0.9", null);

        await AgentTestHost.AssertError(r, 500, control.FailWith);
    }

    [Fact(Timeout = 30000)]
    public async Task Join_needs_put()
    {
        await using var host = await AgentTestHost.StartAsync();

        var r = await host.Get("/v1/agent/join/127.0.0.2");

        await AgentTestHost.AssertError(r, 405, "method GET not allowed");
    }

    [Fact(Timeout = 30000)]
    public async Task Force_leave_unknown_node_is_consuls_500()
    {
        await using var host = await AgentTestHost.StartAsync();

        var r = await host.Put("/v1/agent/force-leave/nope");

        await AgentTestHost.AssertError(r, 500, "agent: No node found with name 'nope'");
    }

    [Fact(Timeout = 30000)]
    public async Task Force_leave_of_self_succeeds_as_serf_refutes_it()
    {
        await using var host = await AgentTestHost.StartAsync();

        var lan = await host.Put($"/v1/agent/force-leave/{AgentTestHost.NodeName}?prune");
        var wan = await host.Put($"/v1/agent/force-leave/{AgentTestHost.NodeName}.dc1?wan");
        // A server's LAN force-leave also looks in the WAN pool, where the name carries the dc.
        var wanNameOnLan = await host.Put($"/v1/agent/force-leave/{AgentTestHost.NodeName}.dc1");
        var lanNameInWan = await host.Put($"/v1/agent/force-leave/{AgentTestHost.NodeName}?wan");

        Assert.Equal(HttpStatusCode.OK, lan.StatusCode);
        Assert.Equal("", await lan.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, wan.StatusCode);
        Assert.Equal(HttpStatusCode.OK, wanNameOnLan.StatusCode);
        // Consul's WAN path names the (empty) LAN node in its message.
        await AgentTestHost.AssertError(lanNameInWan, 500, "agent: No node found with name ''");
        var members = await host.GetJson("/v1/agent/members");
        Assert.Equal(1, members!.AsArray()[0]!["Status"]!.GetValue<int>());
    }

    [Fact(Timeout = 30000)]
    public async Task Force_leave_flags_are_on_when_present()
    {
        var control = new FakeClusterControl();
        await using var host = await ClusterTestHost.StartAsync(control);

        var plain = await host.Client.PutAsync("/v1/agent/force-leave/node-9", null);
        var both = await host.Client.PutAsync("/v1/agent/force-leave/node-9?prune=&wan", null);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        Assert.Equal(["force-leave 'node-9' prune=False wan=False", "force-leave 'node-9' prune=True wan=True"], control.Calls);
    }

    [Fact(Timeout = 10000)]
    public async Task Single_server_join_lists_every_address_and_refuses_wan_on_a_client()
    {
        var view = new SingleServerView(new MemberInfo { Name = "n1", Status = MemberInfo.StatusAlive }, "127.0.0.1:8300", "id-1", () => 5);

        var many = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(view).JoinAsync(["a", "b"], false, CancellationToken.None));
        var clientWan = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(view, isServer: false).JoinAsync(["a"], true, CancellationToken.None));
        var none = await new SingleServerControl(view).JoinAsync([], false, CancellationToken.None);
        var clientWanLeave = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(view, isServer: false).ForceLeaveAsync("n1", false, true, CancellationToken.None));
        // A client looks in its LAN pool only.
        var clientDcName = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(view, isServer: false).ForceLeaveAsync("n1.dc1", false, false, CancellationToken.None));

        Assert.StartsWith("2 errors occurred:\n\t* Failed to join a: ", many.Message);
        Assert.Contains("\n\t* Failed to join b: ", many.Message);
        Assert.EndsWith("\n\n", many.Message);
        Assert.Equal("Must be a server to join WAN cluster", clientWan.Message);
        Assert.Equal(0, none);
        Assert.Equal("Must be a server to force-leave a node from the WAN cluster", clientWanLeave.Message);
        Assert.Equal("agent: No node found with name 'n1.dc1'", clientDcName.Message);
    }

    [Fact(Timeout = 10000)]
    public async Task Single_server_transfer_and_remove_read_the_view()
    {
        var follower = new FixedClusterView(FixedClusterView.ThreeServers(TimeSpan.Zero) with { State = "Follower" }, []);
        var leaderOfThree = new FixedClusterView(FixedClusterView.ThreeServers(TimeSpan.Zero), []);

        var notLeader = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(follower).TransferLeadershipAsync(null, CancellationToken.None));
        var noReplication = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(leaderOfThree).TransferLeadershipAsync(null, CancellationToken.None));
        var quoted = await Assert.ThrowsAsync<ClusterOperationException>(() =>
            new SingleServerControl(leaderOfThree).RemoveRaftPeerAsync(null, "a\"b", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            new SingleServerControl(leaderOfThree).RemoveRaftPeerAsync("x", "y", CancellationToken.None));

        Assert.Equal("node is not the leader", notLeader.Message);
        Assert.Equal("cannot find replication state for id-bob", noReplication.Message);
        Assert.Equal("address \"a\\\"b\" was not found in the Raft configuration", quoted.Message);
    }

    [Fact(Timeout = 30000)]
    public async Task Api_context_defaults_to_a_single_server_control()
    {
        await using var host = await AgentTestHost.StartAsync();

        Assert.IsType<SingleServerControl>(host.Service<Consul.Agent.Http.ApiContext>().ClusterControl);
    }
}
