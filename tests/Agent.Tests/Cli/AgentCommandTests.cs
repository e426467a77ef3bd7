using Consul.Agent.Cli;
using Microsoft.AspNetCore.Http;

namespace Consul.Tests.Cli;

public sealed class AgentCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Info_prints_sorted_sections()
    {
        Server.On("GET /v1/agent/self", FakeResponse.Json("""
            {"Config":{"NodeName":"n1"},"Stats":{"raft":{"state":"Leader","applied_index":"12"},"agent":{"check_monitors":"0","checks":"1"}}}
            """));

        var r = await Run("info");

        Assert.Equal(new CliResult(0,
            "agent:\n\tcheck_monitors = 0\n\tchecks = 1\nraft:\n\tapplied_index = 12\n\tstate = Leader\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Info_without_stats_is_an_error()
    {
        Server.On("GET /v1/agent/self", FakeResponse.Json("""{"Config":{}}"""));

        var r = await Run("info");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("Agent response did not contain 'Stats' key: ", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Keygen_prints_32_random_bytes_in_base64()
    {
        var a = await CliRunner.RunAsync(null, ["keygen"]);
        var b = await CliRunner.RunAsync(null, ["keygen"]);

        Assert.Equal(0, a.Code);
        Assert.Equal(32, Convert.FromBase64String(a.Stdout.TrimEnd('\n')).Length);
        Assert.EndsWith("\n", a.Stdout);
        Assert.NotEqual(a.Stdout, b.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Reload_and_leave()
    {
        Server.On("PUT /v1/agent/reload", FakeResponse.Json(""));
        Server.On("PUT /v1/agent/leave", FakeResponse.Json(""));

        Assert.Equal(new CliResult(0, "Configuration reload triggered\n", ""), await Run("reload"));
        Assert.Equal(new CliResult(0, "Graceful leave complete\n", ""), await Run("leave"));
    }

    [Fact(Timeout = 20000)]
    public async Task Reload_error()
    {
        Server.On("PUT /v1/agent/reload", FakeResponse.Text(500, "bad config"));

        Assert.Equal(new CliResult(1, "", "Error reloading: Unexpected response code: 500 (bad config)\n"), await Run("reload"));
    }

    [Fact(Timeout = 20000)]
    public async Task Leave_rejects_positional_args_and_prints_help()
    {
        var r = await Run("leave", "a", "b");

        Assert.Equal(1, r.Code);
        Assert.Equal("Error found unexpected args: [a b]\n", r.Stderr);
        Assert.StartsWith("Usage: consul leave [options]\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Join_counts_successes_and_reports_failures()
    {
        Server.On("PUT /v1/agent/join/10.0.0.2", FakeResponse.Json(""));
        Server.On("PUT /v1/agent/join/10.0.0.3", FakeResponse.Text(500, "no route"));

        var r = await Run("join", "-wan", "10.0.0.2", "10.0.0.3");

        Assert.Equal(new CliResult(0, "Successfully joined cluster by contacting 1 nodes.\n",
            "Error joining address '10.0.0.3': Unexpected response code: 500 (no route)\n"), r);
        Assert.All(Server.Requests, q => Assert.Equal("?wan=1", q.Query));
    }

    [Fact(Timeout = 20000)]
    public async Task Join_all_failed_and_missing_address()
    {
        Server.On("PUT /v1/agent/join/x", FakeResponse.Text(500, "no"));

        var failed = await Run("join", "x");
        var missing = await Run("join");

        Assert.Equal(new CliResult(1, "", "Error joining address 'x': Unexpected response code: 500 (no)\nFailed to join any nodes.\n"), failed);
        Assert.Equal(1, missing.Code);
        Assert.StartsWith("At least one address to join must be specified.\n\nUsage: consul join [options] address ...\n", missing.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task ForceLeave_sends_prune_and_wan()
    {
        Server.On("PUT /v1/agent/force-leave/node-9", FakeResponse.Json(""));

        var r = await Run("force-leave", "-prune", "-wan", "node-9");

        Assert.Equal(new CliResult(0, "", ""), r);
        Assert.Equal("?prune=1&wan=1", Server.Single("PUT", "/v1/agent/force-leave/node-9").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task ForceLeave_needs_exactly_one_node()
    {
        var r = await Run("force-leave");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("A single node name must be specified to force leave.\n\nUsage: consul force-leave [options] name\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Event_fires_with_filters_and_payload()
    {
        Server.On("GET /v1/agent/self", FakeResponse.Json("""{"Config":{"NodeName":"n1"}}"""));
        Server.On("PUT /v1/event/fire/deploy", FakeResponse.Json("""{"ID":"b54fe110-7af5-cafc-d1fb-afc8ba432b1c","Name":"deploy"}"""));

        var r = await Run("event", "-name=deploy", "-node=web.*", "-service", "api", "-tag=v1", "v2.1");

        Assert.Equal(new CliResult(0, "Event ID: b54fe110-7af5-cafc-d1fb-afc8ba432b1c\n", ""), r);
        var fire = Server.Single("PUT", "/v1/event/fire/deploy");
        Assert.Equal("?node=web.%2A&service=api&tag=v1", fire.Query);
        Assert.Equal("v2.1", fire.BodyText);
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "event", "-name=x", "-tag=v1" }, "Cannot provide tag filter without service filter.\n")]
    [InlineData(new[] { "event", "-name=x", "-node=(" }, "Failed to compile node filter regexp: ")]
    [InlineData(new[] { "event" }, "Event name must be specified\n\nUsage: consul event [options] [payload]\n")]
    [InlineData(new[] { "event", "-name=x", "a", "b" }, "Too many command line arguments.\n\nUsage: consul event")]
    public async Task Event_usage_errors(string[] args, string stderrStart)
    {
        var r = await Run(args);

        Assert.Equal(1, r.Code);
        Assert.StartsWith(stderrStart, r.Stderr);
        Assert.Empty(Server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Monitor_streams_lines_until_the_agent_hangs_up()
    {
        Server.OnRaw("GET /v1/agent/monitor", async (_, resp) =>
        {
            resp.StatusCode = 200;
            await resp.WriteAsync("2026-01-01T00:00:00.000Z [INFO]  agent: line one\n");
            await resp.Body.FlushAsync();
            await resp.WriteAsync("2026-01-01T00:00:01.000Z [DEBUG] agent: line two\n");
        });

        var r = await Run("monitor", "-log-level=debug");

        Assert.Equal(1, r.Code);
        Assert.Equal(
            "2026-01-01T00:00:00.000Z [INFO]  agent: line one\n" +
            "2026-01-01T00:00:01.000Z [DEBUG] agent: line two\n" +
            "\n" +
            "Remote side ended the monitor! This usually means that the\nremote side has exited or crashed.\n", r.Stdout);
        Assert.Equal("?loglevel=debug", Server.Single("GET", "/v1/agent/monitor").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Monitor_stops_cleanly_on_shutdown()
    {
        var firstLineSent = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        Server.OnRaw("GET /v1/agent/monitor", async (_, resp) =>
        {
            resp.StatusCode = 200;
            await resp.WriteAsync("hello\n");
            await resp.Body.FlushAsync();
            firstLineSent.SetResult();
            await release.Task;
        });
        using var cts = new CancellationTokenSource();
        var stdout = new SignallingWriter("hello");
        var ctx = new CliContext(stdout, new StringWriter(), new StringReader(""),
            new Dictionary<string, string?> { ["CONSUL_HTTP_ADDR"] = Server.Address }, cts.Token);

        var run = CliDispatcher.RunAsync(["monitor"], ctx);
        await firstLineSent.Task;
        // Ask it to stop only once the streamed line has been printed.
        await stdout.Seen.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        var code = await run;
        release.SetResult();

        Assert.Equal(0, code);
        Assert.Equal("hello\n", stdout.ToString());
    }

    [Fact(Timeout = 20000)]
    public async Task Monitor_error_status()
    {
        Server.On("GET /v1/agent/monitor", FakeResponse.Text(403, "Permission denied"));

        Assert.Equal(new CliResult(1, "", "Error starting monitor: Unexpected response code: 403 (Permission denied)\n"), await Run("monitor"));
    }

    [Fact(Timeout = 20000)]
    public async Task Raft_list_peers_table()
    {
        Server.On("GET /v1/operator/raft/configuration", FakeResponse.Json("""
            {"Servers":[
              {"ID":"e3b6a8f2","Node":"alice","Address":"10.0.0.1:8300","Leader":true,"ProtocolVersion":"3","Voter":true,"LastIndex":100},
              {"ID":"a1b2c3d4","Node":"bob","Address":"10.0.0.2:8300","Leader":false,"ProtocolVersion":"3","Voter":true,"LastIndex":99},
              {"ID":"f0f0f0f0","Node":"carol","Address":"10.0.0.3:8300","Leader":false,"ProtocolVersion":"","Voter":false,"LastIndex":90}
            ],"Index":100}
            """));

        var r = await Run("operator", "raft", "list-peers", "-stale");

        Assert.Equal(new CliResult(0,
            "Node   ID        Address        State     Voter  RaftProtocol  Commit Index  Trails Leader By\n" +
            "alice  e3b6a8f2  10.0.0.1:8300  leader    true   3             100           -\n" +
            "bob    a1b2c3d4  10.0.0.2:8300  follower  true   3             99            1 commit\n" +
            "carol  f0f0f0f0  10.0.0.3:8300  follower  false  <=1           90            10 commits\n", ""), r);
        Assert.Equal("?stale=", Server.Single("GET", "/v1/operator/raft/configuration").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Raft_list_peers_error()
    {
        Server.On("GET /v1/operator/raft/configuration", FakeResponse.Text(500, "No cluster leader"));

        var r = await Run("operator", "raft", "list-peers");

        Assert.Equal(new CliResult(1, "",
            "Error getting peers: Failed to retrieve raft configuration: Unexpected response code: 500 (No cluster leader)\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Raft_remove_peer_by_id_and_address()
    {
        Server.On("DELETE /v1/operator/raft/peer", FakeResponse.Json(""));

        var byId = await Run("operator", "raft", "remove-peer", "-id=a1b2c3d4");
        var byAddress = await Run("operator", "raft", "remove-peer", "-address=10.0.0.2:8300");

        Assert.Equal(new CliResult(0, "Removed peer with id \"a1b2c3d4\"\n", ""), byId);
        Assert.Equal(new CliResult(0, "Removed peer with address \"10.0.0.2:8300\"\n", ""), byAddress);
        Assert.Equal(["?id=a1b2c3d4", "?address=10.0.0.2%3A8300"], Server.Requests.Select(q => q.Query));
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "operator", "raft", "remove-peer" }, "Error removing peer: an address or id is required for the peer to remove\n")]
    [InlineData(new[] { "operator", "raft", "remove-peer", "-id=a", "-address=b" }, "Error removing peer: cannot give both an address and id\n")]
    public async Task Raft_remove_peer_usage_errors(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(1, "", stderr), await Run(args));
    }

    [Fact(Timeout = 20000)]
    public async Task Raft_remove_peer_bad_flag_reports_parse_failure()
    {
        var r = await Run("operator", "raft", "remove-peer", "-bogus");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("flag provided but not defined: -bogus\nUsage:\n", r.Stderr);
        Assert.EndsWith("Failed to parse args: flag provided but not defined: -bogus\n", r.Stderr);
    }
}

/// <summary>A StringWriter that completes <see cref="Seen"/> once some text has been written.</summary>
internal sealed class SignallingWriter(string awaited) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void Write(string? value)
    {
        lock (this)
        {
            base.Write(value);
            if (ToString().Contains(awaited, StringComparison.Ordinal)) _seen.TrySetResult();
        }
    }
}

public sealed class MalformedReplyTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Non_json_reply_is_reported_not_thrown()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Json("<html>proxy error</html>"));

        var r = await Run("members");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("Error executing CLI: ", r.Stderr);
    }
}
