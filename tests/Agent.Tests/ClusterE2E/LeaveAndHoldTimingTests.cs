using System.Diagnostics;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// performance.leave_drain_time and performance.rpc_hold_timeout on real processes
/// (127.0.0.177–178): a leaving server drains for the configured time; a client agent without a
/// server gives up on a write after the configured hold instead of Consul's default 7 s.
/// </summary>
public sealed class LeaveAndHoldTimingTests
{
    [Fact(Timeout = 120_000)]
    public async Task A_leaving_server_drains_for_leave_drain_time()
    {
        await using var cluster = new LocalCluster();
        cluster.StartServer("drain", "127.0.0.177", 0, "127.0.0.177", "-bootstrap", "-hcl", "performance { leave_drain_time = \"1500ms\" }");
        await cluster.WaitUntilAsync("a leader", TimeSpan.FromSeconds(60), async () => (await cluster.LeaderAsync("drain")).Length > 0);
        Assert.Equal(200, (await cluster.PutAsync("drain", "/v1/agent/leave", "")).Status);
        await cluster.WaitUntilAsync("the leave complete", TimeSpan.FromSeconds(60), () =>
            Task.FromResult(cluster["drain"].Output.Contains("agent: Graceful leave complete", StringComparison.Ordinal)));
        Assert.Contains("agent.server: Waiting to drain RPC traffic: drain_time=1.5s", cluster["drain"].Output);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_client_without_servers_holds_a_write_for_rpc_hold_timeout()
    {
        await using var cluster = new LocalCluster();
        // Joins nobody: 127.0.0.179 has no agent.
        cluster.StartClient("lonely", "127.0.0.178", "127.0.0.179", "-hcl", "performance { rpc_hold_timeout = \"1s\" }");
        await cluster.WaitUntilAsync("the HTTP API", TimeSpan.FromSeconds(60), async () =>
        {
            try { return (await cluster.GetAsync("lonely", "/v1/agent/self")).Status == 200; }
            catch (HttpRequestException) { return false; }
        });
        var clock = Stopwatch.StartNew();
        var (status, body) = await cluster.PutAsync("lonely", "/v1/kv/held", "v");
        clock.Stop();
        Assert.Equal(500, status);
        Assert.Contains("No cluster leader", body);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(6));
    }
}
