using System.Diagnostics;
using System.Text;
using Consul.Tests.Raft.Sim;
using Xunit.Abstractions;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// Jepsen-style test of the real `consul` processes: three servers and two client agents on
/// 127.0.0.80–84, concurrent workers doing consistent reads, writes and CAS on three keys while
/// a nemesis kills/restarts or pauses/resumes one server at a time; afterwards every key's
/// history must be linearizable and no acknowledged write may be lost.
/// JEPSEN_SEED replays a fault schedule; JEPSEN_SECONDS sets how long the nemesis runs.
/// </summary>
public sealed class JepsenTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Servers = new()
    {
        ["s1"] = "127.0.0.80", ["s2"] = "127.0.0.81", ["s3"] = "127.0.0.82",
    };
    private static readonly Dictionary<string, string> Clients = new() { ["c1"] = "127.0.0.83", ["c2"] = "127.0.0.84" };
    private static readonly string[] Keys = ["jepsen/a", "jepsen/b", "jepsen/c"];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 160_000)]
    public async Task Kv_stays_linearizable_while_servers_are_killed_and_paused()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("JEPSEN_SEED"), out var s) ? s : Random.Shared.Next();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("JEPSEN_SECONDS"), out var d) ? d : 40;
        output.WriteLine($"JEPSEN_SEED={seed} JEPSEN_SECONDS={seconds}");
        var rng = new Random(seed);

        await using var cluster = new LocalCluster();
        foreach (var (name, address) in Servers)
            cluster.StartServer(name, address, 3, Servers.Values.First(a => a != address));
        foreach (var (name, address) in Clients) cluster.StartClient(name, address, Servers["s1"]);
        var agents = Servers.Concat(Clients).ToArray();
        await cluster.WaitUntilAsync("every agent knows the same leader", Settle, async () =>
        {
            var seen = await Task.WhenAll(agents.Select(a => cluster.LeaderAsync(a.Key)));
            return seen.All(l => l.Length > 0 && l == seen[0]);
        });
        foreach (var (name, _) in agents)
            await cluster.WaitUntilAsync($"{name} serves a consistent read", Settle, async () =>
                (await cluster.GetAsync(name, "/v1/kv/jepsen/none?consistent")).Status == 404);

        var history = new JepsenHistory();
        var nemesis = new JepsenNemesis(cluster, Servers, new Random(rng.Next()), history);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var nextValue = 0;
        using var stop = new CancellationTokenSource();
        var workers = agents.Select((a, i) =>
            new JepsenWorker(i + 1, a.Key, new JepsenKvClient(http, $"http://{a.Value}:8500"), history, new Random(rng.Next()),
                Keys, () => Interlocked.Increment(ref nextValue)).RunAsync(stop.Token)).ToArray();

        string Report(string problem, IEnumerable<JepsenOp>? ops = null) =>
            new StringBuilder()
                .AppendLine($"{problem}\nJEPSEN_SEED={seed} JEPSEN_SECONDS={seconds}")
                .AppendLine(ops is null ? "" : $"whole history of the key:\n{JepsenHistory.Format(ops)}")
                .AppendLine($"nemesis:\n{nemesis.Log}")
                .AppendLine($"agent logs:\n{cluster.LogTails()}")
                .ToString();

        try
        {
            try
            {
                await nemesis.RunAsync(TimeSpan.FromSeconds(seconds));
            }
            finally
            {
                stop.Cancel();
                await Task.WhenAll(workers);
            }

            // Healed: every server up with one leader, and each agent answers a consistent read again.
            await cluster.WaitUntilAsync("all servers agree on a leader", Settle, () => JepsenNemesis.AllServersAgreeOnLeaderAsync(cluster, Servers.Keys));
            var finalProcess = 90_000;
            foreach (var key in Keys)
                foreach (var (name, address) in agents)
                {
                    var client = new JepsenKvClient(http, $"http://{address}:8500");
                    JepsenKvClient.ReadResult? read = null;
                    long invoke = 0;
                    await cluster.WaitUntilAsync($"a final consistent read of {key} via {name}", Settle, async () =>
                    {
                        invoke = history.Now();
                        read = await client.ReadAsync(key);
                        return read.Outcome == JepsenOutcome.Ok;
                    });
                    history.Add(new JepsenOp(finalProcess++, name, key, HistoryOp.Read, 0, 0, invoke, history.Now(), read!.Value, false, read.Index, "final"));
                }
        }
        catch (TimeoutException e)
        {
            // The cluster did not heal or answer in time: keep the seed and fault schedule with the agents' logs.
            throw new TimeoutException($"JEPSEN_SEED={seed} JEPSEN_SECONDS={seconds}\nnemesis:\n{nemesis.Log}\n{e.Message}", e);
        }

        var all = history.All;
        output.WriteLine($"{nemesis.Faults} faults; {JepsenHistory.Summary(all)}");
        output.WriteLine(nemesis.Timeline);
        foreach (var key in Keys)
        {
            var ops = history.ForKey(key);
            var final = ops.Last().ReadValue;
            var sw = Stopwatch.StartNew();
            var problems = JepsenChecks.Linearizability(ops)
                .Concat(JepsenChecks.FinalState(ops, final))
                .Concat(JepsenChecks.OneIndexPerValue(ops))
                .Concat(JepsenChecks.FalseCasHadNoEffect(ops))
                .ToList();
            output.WriteLine($"{key}: {JepsenHistory.Summary(ops)}; final value {final}; checked in {sw.ElapsedMilliseconds} ms");
            if (problems.Count > 0 && JepsenChecks.FirstViolation(ops) is { } culprit)
                problems.Add($"first not linearizable when this returns: {culprit}\naround it (every op from 1 s before it until it returned):\n" +
                    JepsenHistory.Format(JepsenChecks.Around(ops, culprit)));
            Assert.True(problems.Count == 0, Report($"{key}: {string.Join("\n", problems)}", ops));
        }

        // Every server's own copy converges on the final value.
        foreach (var key in Keys)
        {
            var final = history.ForKey(key).Last();
            foreach (var name in Servers.Keys)
                await cluster.WaitUntilAsync($"{name}'s local copy of {key} reaches ModifyIndex {final.Index}", TimeSpan.FromSeconds(30), async () =>
                {
                    var (status, body) = await cluster.GetAsync(name, $"/v1/kv/{key}?stale");
                    return final.Index == 0 ? status == 404
                        : status == 200 && System.Text.Json.Nodes.JsonNode.Parse(body)![0]!["ModifyIndex"]!.GetValue<ulong>() == final.Index;
                });
        }

        // The run must have exercised something for a pass to mean anything.
        Assert.True(nemesis.Faults >= JepsenNemesis.MinFaults, Report($"only {nemesis.Faults} faults injected"));
        Assert.True(all.Count(o => o.Op == HistoryOp.Read && !o.Unknown) >= 50, Report($"too few reads: {JepsenHistory.Summary(all)}"));
        Assert.True(all.Count(o => o.Op == HistoryOp.Write && !o.Unknown) >= 20, Report($"too few writes: {JepsenHistory.Summary(all)}"));
        Assert.True(all.Count(o => o.Op == HistoryOp.Cas && o.CasOk && !o.Unknown) >= 5, Report($"too few successful CAS: {JepsenHistory.Summary(all)}"));
    }
}
