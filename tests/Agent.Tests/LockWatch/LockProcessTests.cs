using Consul.Tests.EndToEnd;

namespace Consul.Tests.LockWatch;

/// <summary>Real `consul lock` processes contending on one agent.</summary>
public sealed class LockProcessTests(LockWatchAgentFixture fixture) : IClassFixture<LockWatchAgentFixture>
{
    private string Addr => fixture.HttpAddr;

    [Fact(Timeout = 60000)]
    public async Task Two_lock_holders_never_run_their_children_at_the_same_time()
    {
        var marks = fixture.TempFile("marks");
        var child = $"echo start >> {marks}; sleep 1; echo stop >> {marks}";
        await using var a = LockWatchProcess.Start(Addr, "lock", "mutex/two", child);
        await using var b = LockWatchProcess.Start(Addr, "lock", "mutex/two", child);

        Assert.Equal(0, await a.WaitAsync(TimeSpan.FromSeconds(40)));
        Assert.Equal(0, await b.WaitAsync(TimeSpan.FromSeconds(40)));

        Assert.Equal(["start", "stop", "start", "stop"], LockWatchWait.Lines(marks));
        // Cleanup removed the lock key once nobody held it.
        var get = await ConsulExe.RunAsync(["kv", "get", "mutex/two/.lock"], new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = Addr });
        Assert.Equal(1, get.ExitCode);
    }

    [Fact(Timeout = 60000)]
    public async Task Terminated_holder_stops_its_child_releases_and_the_waiter_takes_over()
    {
        var marks = fixture.TempFile("marks");
        string Child(string who) =>
            $"trap 'echo {who}-stop >> {marks}; exit 0' TERM; echo {who}-start >> {marks}; while true; do sleep 0.1; done";
        await using var a = LockWatchProcess.Start(Addr, "lock", "-verbose", "mutex/takeover", Child("a"));
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Contains("a-start"), TimeSpan.FromSeconds(20),
            () => $"a never started: {a.Stdout}{a.Stderr}");
        await using var b = LockWatchProcess.Start(Addr, "lock", "mutex/takeover", Child("b"));

        a.Signal(SignalSender.SIGTERM);
        Assert.Equal(0, await a.WaitAsync(TimeSpan.FromSeconds(20)));
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Contains("b-start"), TimeSpan.FromSeconds(20),
            () => $"b never took over: {string.Join(",", LockWatchWait.Lines(marks))}\n{b.Stderr}");
        b.Signal(SignalSender.SIGTERM);
        Assert.Equal(0, await b.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(["a-start", "a-stop", "b-start", "b-stop"], LockWatchWait.Lines(marks));
        Assert.Contains("Shutdown triggered, killing child", a.Stdout);
        Assert.Contains("Cleanup", a.Stdout);
    }

    [Fact(Timeout = 60000)]
    public async Task Destroyed_session_means_lock_lost_and_the_child_is_terminated()
    {
        var marks = fixture.TempFile("marks");
        var child = $"trap 'echo stop >> {marks}; exit 0' TERM; echo start >> {marks}; while true; do sleep 0.1; done";
        await using var holder = LockWatchProcess.Start(Addr, "lock", "-verbose", "-name", "lost-test", "mutex/lost", child);
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Contains("start"), TimeSpan.FromSeconds(20),
            () => $"child never started: {holder.Stdout}{holder.Stderr}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var sessions = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync($"{Addr}/v1/session/list"))!.AsArray();
        var id = sessions.Single(s => s!["Name"]!.GetValue<string>() == "lost-test")!["ID"]!.GetValue<string>();
        (await http.PutAsync($"{Addr}/v1/session/destroy/{id}", null)).EnsureSuccessStatusCode();

        Assert.Equal(0, await holder.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(["start", "stop"], LockWatchWait.Lines(marks));
        Assert.Contains("Lock lost, killing child", holder.Stdout);
        Assert.Contains("Child terminated", holder.Stdout);
    }

    [Fact(Timeout = 60000)]
    public async Task Semaphore_of_three_runs_at_most_three_children_of_five()
    {
        var marks = fixture.TempFile("marks");
        var child = $"echo start >> {marks}; sleep 1.5; echo stop >> {marks}";
        var contenders = Enumerable.Range(0, 5).Select(_ => LockWatchProcess.Start(Addr, "lock", "-n", "3", "sema/five", child)).ToList();
        try
        {
            foreach (var c in contenders) Assert.Equal(0, await c.WaitAsync(TimeSpan.FromSeconds(45)));
        }
        finally
        {
            foreach (var c in contenders) await c.DisposeAsync();
        }

        var lines = LockWatchWait.Lines(marks);
        Assert.Equal(5, lines.Count(l => l == "start"));
        Assert.Equal(5, lines.Count(l => l == "stop"));
        var running = 0;
        var max = 0;
        foreach (var l in lines)
        {
            running += l == "start" ? 1 : -1;
            max = Math.Max(max, running);
        }
        Assert.InRange(max, 1, 3);
    }

    [Fact(Timeout = 30000)]
    public async Task Child_failure_exits_2_only_with_child_exit_code()
    {
        var env = new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = Addr };
        var runs = await Task.WhenAll(
            ConsulExe.RunAsync(["lock", "mutex/fail1", "exit 3"], env),
            ConsulExe.RunAsync(["lock", "-child-exit-code", "mutex/fail2", "exit 3"], env),
            ConsulExe.RunAsync(["lock", "mutex/env", "echo $CONSUL_LOCK_HELD"], env));
        var (plain, propagated, held) = (runs[0], runs[1], runs[2]);

        Assert.Equal((0, "Error running handler: exit status 3\n"), (plain.ExitCode, plain.Stderr));
        Assert.Equal(2, propagated.ExitCode);
        Assert.Equal((0, "true\n"), (held.ExitCode, held.Stdout));
    }

    [Fact(Timeout = 60000)]
    public async Task Timeout_gives_up_while_another_holds_the_lock()
    {
        var marks = fixture.TempFile("marks");
        await using var holder = LockWatchProcess.Start(Addr, "lock", "mutex/timeout", $"echo start >> {marks}; sleep 30");
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Length == 1, TimeSpan.FromSeconds(20), () => holder.Stderr);

        var r = await ConsulExe.RunAsync(["lock", "-timeout", "1s", "mutex/timeout", "echo never"],
            new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = Addr });

        Assert.Equal((1, "", "Shutdown triggered or timeout during lock acquisition\n"), (r.ExitCode, r.Stdout, r.Stderr));
    }

    [Theory(Timeout = 30000)]
    [InlineData(new[] { "lock", "only-prefix" }, "Key prefix and child command must be specified\n")]
    [InlineData(new[] { "lock", "-n", "0", "p", "true" }, "Lock holder limit must be positive\n")]
    [InlineData(new[] { "lock", "-monitor-retry", "-1", "p", "true" }, "Number for 'monitor-retry' must be >= 0\n")]
    public async Task Argument_errors_use_consul_messages(string[] args, string stderr)
    {
        var r = await ConsulExe.RunAsync(args, new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = Addr });
        Assert.Equal((1, stderr), (r.ExitCode, r.Stderr));
    }

    [Fact(Timeout = 30000)]
    public async Task Lock_on_a_semaphore_prefix_reports_the_conflict()
    {
        var env = new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = Addr };
        await using var sema = LockWatchProcess.Start(Addr, "lock", "-n", "2", "mixed", "sleep 30");
        await LockWatchWait.UntilAsync(async () => (await ConsulExe.RunAsync(["kv", "get", "mixed/.lock"], env)).ExitCode == 0,
            TimeSpan.FromSeconds(20), () => sema.Stderr);

        var r = await ConsulExe.RunAsync(["lock", "mixed", "true"], env);

        Assert.Equal((1, "Lock acquisition failed: Existing key does not match lock use\n"), (r.ExitCode, r.Stderr));
    }
}
