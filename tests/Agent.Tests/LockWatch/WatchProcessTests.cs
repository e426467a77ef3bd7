using Consul.Tests.EndToEnd;

namespace Consul.Tests.LockWatch;

/// <summary>Real `consul watch` processes against a dev agent.</summary>
public sealed class WatchProcessTests(LockWatchAgentFixture fixture) : IClassFixture<LockWatchAgentFixture>
{
    private Dictionary<string, string> Env => new() { ["CONSUL_HTTP_ADDR"] = fixture.HttpAddr };

    private async Task Put(string key, string value) =>
        Assert.Equal(0, (await ConsulExe.RunAsync(["kv", "put", key, value], Env)).ExitCode);

    [Fact(Timeout = 60000)]
    public async Task Keyprefix_handler_sees_each_change_once_in_order()
    {
        var output = fixture.TempFile("seen");
        await Put("wapp/a", "1");
        await using var watch = LockWatchProcess.Start(fixture.HttpAddr, "watch", "-type", "keyprefix", "-prefix", "wapp/",
            $"cat >> {output}; echo \" index=$CONSUL_INDEX\" >> {output}");
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(output).Length == 2, TimeSpan.FromSeconds(20),
            () => $"first delivery missing: {watch.Stderr}");

        await Put("wapp/b", "2");
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(output).Length == 4, TimeSpan.FromSeconds(20), () => "second delivery missing");
        await Put("wother/x", "unrelated");
        await Put("wapp/a", "3");
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(output).Length >= 6, TimeSpan.FromSeconds(20), () => "third delivery missing");
        watch.Signal(SignalSender.SIGTERM);
        Assert.Equal(0, await watch.WaitAsync(TimeSpan.FromSeconds(20)));

        var lines = LockWatchWait.Lines(output);
        Assert.Equal(6, lines.Length);
        var payloads = lines.Where((_, i) => i % 2 == 0).ToArray();
        // Values: "1" = MQ==, "2" = Mg==, "3" = Mw==.
        Assert.Matches("""^\[\{"Key":"wapp/a",.*"Value":"MQ==","Session":""\}\]$""", payloads[0]);
        Assert.Matches("""^\[\{"Key":"wapp/a",.*"Value":"MQ==".*\},\{"Key":"wapp/b",.*"Value":"Mg==".*\}\]$""", payloads[1]);
        Assert.Matches("""^\[\{"Key":"wapp/a",.*"Value":"Mw==".*\},\{"Key":"wapp/b",.*\}\]$""", payloads[2]);
        var indexes = lines.Where((_, i) => i % 2 == 1).Select(l => ulong.Parse(l.Trim()["index=".Length..])).ToArray();
        Assert.True(indexes[0] < indexes[1] && indexes[1] < indexes[2], string.Join(",", indexes));
    }

    [Fact(Timeout = 60000)]
    public async Task Engine_over_an_HttpClient_follows_a_key_like_the_agent_would()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.HttpAddr), Timeout = Timeout.InfiniteTimeSpan };
        var plan = Consul.Core.Watches.WatchPlan.Parse(new Dictionary<string, object?> { ["type"] = "key", ["key"] = "wengine/k" });
        var seen = new List<string>();
        var runner = new Consul.Core.Watches.WatchRunner(plan, Consul.Core.Watches.WatchHttpClientFetch.Create(http), TimeProvider.System);
        runner.Handler = (_, result, _) =>
        {
            lock (seen) seen.Add(result?["Value"]?.GetValue<string>() ?? "null");
            return Task.CompletedTask;
        };
        var run = runner.RunAsync(CancellationToken.None);
        try
        {
            await LockWatchWait.UntilAsync(() => { lock (seen) return seen.Count == 1; }, TimeSpan.FromSeconds(20), () => "no first result");
            await Put("wengine/k", "a");
            await LockWatchWait.UntilAsync(() => { lock (seen) return seen.Count == 2; }, TimeSpan.FromSeconds(20), () => "no change seen");
            await Put("wengine/other", "x");
            await Put("wengine/k", "b");
            await LockWatchWait.UntilAsync(() => { lock (seen) return seen.Count >= 3; }, TimeSpan.FromSeconds(20), () => "no second change");
        }
        finally
        {
            runner.Stop();
            await run;
        }

        Assert.Equal(["null", "YQ==", "Yg=="], seen);
    }

    [Fact(Timeout = 30000)]
    public async Task Without_handler_prints_indented_json_once_and_exits()
    {
        await Put("wprint/k", "hello");

        var runs = await Task.WhenAll(
            ConsulExe.RunAsync(["watch", "-type", "key", "-key", "wprint/k"], Env),
            ConsulExe.RunAsync(["watch", "-type", "key", "-key", "wprint/none"], Env),
            ConsulExe.RunAsync(["watch", "-type", "services"], Env));
        var (key, missing, services) = (runs[0], runs[1], runs[2]);

        Assert.Equal(0, key.ExitCode);
        Assert.Matches("""^\{\n    "Key": "wprint/k",\n    "CreateIndex": \d+,\n    "ModifyIndex": \d+,\n    "LockIndex": 0,\n    "Flags": 0,\n    "Value": "aGVsbG8=",\n    "Session": ""\n\}\n$""", key.Stdout);
        Assert.Equal((0, "null\n"), (missing.ExitCode, missing.Stdout));
        Assert.Equal(0, services.ExitCode);
        Assert.StartsWith("{\n    \"consul\": [", services.Stdout);
    }

    [Fact(Timeout = 30000)]
    public async Task Failing_handler_stops_the_watch_with_exit_1()
    {
        var r = await ConsulExe.RunAsync(["watch", "-type", "nodes", "exit 4"], Env);

        Assert.Equal((1, "Error executing handler: exit status 4\n"), (r.ExitCode, r.Stderr));
    }

    [Theory(Timeout = 30000)]
    [InlineData(new[] { "watch", "-type", "nope" }, "Unsupported watch type: nope\n")]
    [InlineData(new[] { "watch", "-type", "key" }, "Must specify a single key to watch\n")]
    [InlineData(new[] { "watch", "-type", "keyprefix" }, "Must specify a single prefix to watch\n")]
    [InlineData(new[] { "watch", "-type", "service" }, "Must specify a single service to watch\n")]
    [InlineData(new[] { "watch", "-type", "checks", "-service", "a", "-state", "any" }, "Cannot specify service and state\n")]
    [InlineData(new[] { "watch", "-type", "key", "-key", "k", "-prefix", "p" }, "Invalid parameters: [prefix]\n")]
    [InlineData(new[] { "watch", "-type", "service", "-service", "web", "-passingonly", "maybe" },
        "Failed to parse passingonly flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n")]
    public async Task Argument_errors_use_consul_messages(string[] args, string stderr)
    {
        var r = await ConsulExe.RunAsync(args, Env);
        Assert.Equal((1, stderr), (r.ExitCode, r.Stderr));
    }

    [Fact(Timeout = 30000)]
    public async Task Missing_type_prints_the_message_and_help()
    {
        var r = await ConsulExe.RunAsync(["watch"], Env);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Watch type must be specified\n\nUsage: consul watch [options] [child...]\n", r.Stderr);
    }

    [Fact(Timeout = 30000)]
    public async Task Unreachable_agent_is_reported_before_watching()
    {
        var r = await ConsulExe.RunAsync(["watch", "-type", "services", "-http-addr=127.0.0.1:1"], Env);

        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("Error querying Consul agent: Get \"http://127.0.0.1:1/v1/agent/self\": dial tcp 127.0.0.1:1: connect: connection refused", r.Stderr);
    }
}
