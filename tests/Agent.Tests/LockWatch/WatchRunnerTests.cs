using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Consul.Core.Watches;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.LockWatch;

/// <summary>The watch loop against a scripted fetch: delivery rules, backoff, index resets.</summary>
public sealed class WatchRunnerTests
{
    /// <summary>A fetch that answers from a queue the test fills and records every request.</summary>
    private sealed class ScriptedFetch
    {
        private readonly Channel<Func<WatchHttpResult>> _answers = Channel.CreateUnbounded<Func<WatchHttpResult>>();
        public List<WatchRequest> Requests { get; } = [];

        public void Answer(ulong index, string json, int status = 200) =>
            _answers.Writer.TryWrite(() => new WatchHttpResult(status, Encoding.UTF8.GetBytes(json), index));

        public void Fail(string message) => _answers.Writer.TryWrite(() => throw new WatchQueryException(message));

        public async Task<WatchHttpResult> Fetch(WatchRequest request, CancellationToken ct)
        {
            lock (Requests) Requests.Add(request);
            var next = await _answers.Reader.ReadAsync(ct);
            return next();
        }

        public string? IndexOf(int request)
        {
            lock (Requests) return Requests[request].Query.Where(q => q.Key == "index").Select(q => q.Value).FirstOrDefault();
        }

        public int Count { get { lock (Requests) return Requests.Count; } }
    }

    private static WatchPlan Plan(params (string Key, object? Value)[] p) =>
        WatchPlan.Parse(p.ToDictionary(x => x.Key, x => x.Value));

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Yield();
            await Task.Delay(5);
        }
    }

    // The runner arms its backoff timer just after reporting the error; step the clock until it fires.
    private static async Task AdvanceUntil(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5);
        }
    }

    private static (WatchRunner Runner, List<(ulong Index, string Json)> Seen) Start(WatchPlan plan, ScriptedFetch fetch, TimeProvider time)
    {
        var seen = new List<(ulong, string)>();
        var runner = new WatchRunner(plan, fetch.Fetch, time)
        {
            Handler = (i, r, _) =>
            {
                lock (seen) seen.Add((i, r?.ToJsonString() ?? "null"));
                return Task.CompletedTask;
            },
        };
        return (runner, seen);
    }

    [Fact(Timeout = 20000)]
    public async Task First_result_always_delivered_then_only_real_changes()
    {
        var fetch = new ScriptedFetch();
        var (runner, seen) = Start(Plan(("type", "keyprefix"), ("prefix", "app/")), fetch, TimeProvider.System);
        var run = runner.RunAsync(CancellationToken.None);

        fetch.Answer(5, """[{"Key":"app/a","CreateIndex":5,"ModifyIndex":5,"LockIndex":0,"Flags":0,"Value":"MQ=="}]""");
        await WaitFor(() => fetch.Count == 2, "second request");
        Assert.Equal("5", fetch.IndexOf(1));
        // Same index again: no delivery.
        fetch.Answer(5, """[{"Key":"app/a","CreateIndex":5,"ModifyIndex":5,"LockIndex":0,"Flags":0,"Value":"MQ=="}]""");
        // Index moved but data equal (an unrelated key changed): no delivery.
        fetch.Answer(9, """[{"Key":"app/a","CreateIndex":5,"ModifyIndex":5,"LockIndex":0,"Flags":0,"Value":"MQ=="}]""");
        // A real change.
        fetch.Answer(12, """[{"Key":"app/a","CreateIndex":5,"ModifyIndex":12,"LockIndex":0,"Flags":0,"Value":"Mg=="}]""");
        await WaitFor(() => { lock (seen) return seen.Count == 2; }, "second delivery");
        runner.Stop();
        await run;

        Assert.Equal([5UL, 12UL], seen.Select(s => s.Index));
        Assert.Contains("\"Session\":\"\"", seen[0].Json);
        Assert.Contains("\"Value\":\"Mg==\"", seen[1].Json);
        Assert.Equal("9", fetch.IndexOf(3));
        Assert.All(fetch.Requests, r => Assert.Equal("/v1/kv/app/", r.Path));
        Assert.Contains(fetch.Requests[0].Query, q => q.Key == "recurse");
    }

    [Fact(Timeout = 20000)]
    public async Task Missing_key_is_delivered_as_null_and_backwards_index_resets_to_zero()
    {
        var fetch = new ScriptedFetch();
        var (runner, seen) = Start(Plan(("type", "key"), ("key", "k")), fetch, TimeProvider.System);
        var run = runner.RunAsync(CancellationToken.None);

        fetch.Answer(10, "", status: 404);
        await WaitFor(() => fetch.Count == 2, "second request");
        fetch.Answer(4, """[{"Key":"k","CreateIndex":4,"ModifyIndex":4,"LockIndex":0,"Flags":0,"Value":null}]""");
        await WaitFor(() => fetch.Count == 3, "third request");
        runner.Stop();
        await run;

        Assert.Equal("null", seen[0].Json);
        Assert.Equal(2, seen.Count);
        // The index went backwards (10 -> 4): the next query starts over without blocking.
        Assert.Null(fetch.IndexOf(2));
    }

    [Fact(Timeout = 20000)]
    public async Task Errors_back_off_quadratically_and_reset_the_index()
    {
        var time = new FakeTimeProvider();
        var fetch = new ScriptedFetch();
        var (runner, seen) = Start(Plan(("type", "services")), fetch, time);
        var retries = new List<TimeSpan>();
        runner.OnError = (_, retry) => { lock (retries) retries.Add(retry); };
        var start = time.GetUtcNow();
        var run = runner.RunAsync(CancellationToken.None);

        fetch.Answer(7, """{"web":["a"]}""");
        fetch.Fail("Unexpected response code: 500 (boom)");
        await WaitFor(() => { lock (retries) return retries.Count == 1; }, "first error");
        fetch.Fail("Unexpected response code: 500 (boom)");
        await AdvanceUntil(time, () => { lock (retries) return retries.Count == 2; });
        Assert.True(time.GetUtcNow() - start >= TimeSpan.FromSeconds(5));
        fetch.Answer(7, """{"web":["a"]}""");
        var second = time.GetUtcNow();
        await AdvanceUntil(time, () => fetch.Count == 5);
        Assert.True(time.GetUtcNow() - second >= TimeSpan.FromSeconds(20));
        runner.Stop();
        await run;

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)], retries);
        // After an error the query does not block on the old index, and (as Consul's plan does,
        // having no previous index) the next result is delivered again.
        Assert.Null(fetch.IndexOf(2));
        Assert.Null(fetch.IndexOf(3));
        Assert.Equal(2, seen.Count);
        Assert.Equal(TimeSpan.FromSeconds(180), WatchRunner.Backoff(10));
    }

    [Fact(Timeout = 20000)]
    public async Task Event_watch_prunes_events_already_seen()
    {
        const string e1 = "b54fe110-7af5-cafc-d1fb-afc8ba432b1c", e2 = "00000000-0000-0000-0000-000000000001";
        var fetch = new ScriptedFetch();
        var (runner, seen) = Start(Plan(("type", "event"), ("name", "deploy")), fetch, TimeProvider.System);
        var run = runner.RunAsync(CancellationToken.None);

        var i1 = EventIndex.FromId(e1);
        var i2 = EventIndex.FromId(e2);
        fetch.Answer(i1, $$"""[{"ID":"{{e1}}","Name":"deploy"}]""");
        await WaitFor(() => fetch.Count == 2, "second request");
        fetch.Answer(i2, $$"""[{"ID":"{{e1}}","Name":"deploy"},{"ID":"{{e2}}","Name":"deploy"}]""");
        await WaitFor(() => { lock (seen) return seen.Count == 2; }, "second delivery");
        runner.Stop();
        await run;

        Assert.Contains(fetch.Requests[0].Query, q => q is { Key: "name", Value: "deploy" });
        Assert.Equal($$"""[{"ID":"{{e2}}","Name":"deploy"}]""", seen[1].Json);
        Assert.Equal(1UL, i2);
    }

    [Theory]
    [InlineData(new[] { "type" }, new object[] { "" }, "Watch type must be specified")]
    [InlineData(new[] { "type" }, new object[] { "nope" }, "Unsupported watch type: nope")]
    [InlineData(new[] { "type" }, new object[] { "key" }, "Must specify a single key to watch")]
    [InlineData(new[] { "type" }, new object[] { "keyprefix" }, "Must specify a single prefix to watch")]
    [InlineData(new[] { "type" }, new object[] { "service" }, "Must specify a single service to watch")]
    [InlineData(new[] { "type", "service", "state" }, new object[] { "checks", "web", "passing" }, "Cannot specify service and state")]
    [InlineData(new[] { "type", "key", "prefix" }, new object[] { "key", "a", "b" }, "Invalid parameters: [prefix]")]
    [InlineData(new[] { "type", "key" }, new object[] { "key", true }, "Expecting key to be a string")]
    [InlineData(new[] { "type", "service", "passingonly" }, new object[] { "service", "web", "yes" }, "Expecting passingonly to be a boolean")]
    public void Parse_rejects_like_consul(string[] keys, object[] values, string message)
    {
        var p = keys.Zip(values).ToDictionary(kv => kv.First, kv => (object?)kv.Second);
        var e = Assert.Throws<WatchParseException>(() => WatchPlan.Parse(p));
        Assert.Equal(message, e.Message);
    }

    [Fact(Timeout = 20000)]
    public async Task Service_watch_sends_tags_and_passing()
    {
        var fetch = new ScriptedFetch();
        var plan = WatchPlan.Parse(new Dictionary<string, object?>
        {
            ["type"] = "service", ["service"] = "web", ["tag"] = new List<string> { "a", "b" }, ["passingonly"] = true, ["datacenter"] = "dc2",
        });
        var (runner, seen) = Start(plan, fetch, TimeProvider.System);
        var run = runner.RunAsync(CancellationToken.None);
        fetch.Answer(3, "[]");
        await WaitFor(() => { lock (seen) return seen.Count == 1; }, "delivery");
        runner.Stop();
        await run;

        var q = fetch.Requests[0].Query;
        Assert.Equal("/v1/health/service/web", fetch.Requests[0].Path);
        Assert.Equal(["a", "b"], q.Where(x => x.Key == "tag").Select(x => x.Value));
        Assert.Contains(q, x => x is { Key: "passing", Value: "1" });
        Assert.Contains(q, x => x is { Key: "dc", Value: "dc2" });
        Assert.Equal("[]", seen[0].Json);
    }
}
