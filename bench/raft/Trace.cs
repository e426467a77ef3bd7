using System.Diagnostics;
using System.Globalization;
using Consul.Core.Raft;

namespace Consul.Bench.Raft;

/// <summary>
/// RAFT_TRACE=1: every process records (stage, entry index, monotonic timestamp) through
/// <see cref="RaftTrace.Mark"/> and appends them to <c>{data-dir}/trace.tsv</c> once a second.
/// All three processes read the same CLOCK_MONOTONIC, so their stamps compare directly;
/// <see cref="Report"/> joins them by entry index into a per-stage breakdown.
/// </summary>
public static class Trace
{
    private static readonly object Gate = new();
    private static List<(string Stage, ulong Index, long Ticks)> _pending = new();

    public static bool Enabled => Environment.GetEnvironmentVariable("RAFT_TRACE") == "1";

    public static void Start(string dir)
    {
        RaftTrace.Mark = Record;
        var path = Path.Combine(dir, "trace.tsv");
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(1000);
                Flush(path);
            }
        }) { IsBackground = true };
        thread.Start();
    }

    public static void Record(string stage, ulong index)
    {
        var t = Stopwatch.GetTimestamp();
        lock (Gate) _pending.Add((stage, index, t));
    }

    /// <summary>The proposer's own stamps: when it called ProposeAsync, and now (its task resumed).</summary>
    public static void Stamp(ulong index, long called)
    {
        var now = Stopwatch.GetTimestamp();
        lock (Gate) { _pending.Add(("call", index, called)); _pending.Add(("resumed", index, now)); }
    }

    public static void Flush(string path)
    {
        List<(string Stage, ulong Index, long Ticks)> batch;
        lock (Gate) { batch = _pending; _pending = new(); }
        File.AppendAllLines(path, batch.Select(r => FormattableString.Invariant($"{r.Stage}\t{r.Index}\t{r.Ticks}")));
    }

    /// <summary>
    /// Median time of each stage after "call" for entries the leader proposed in the 1-proposer
    /// row (those with both "call" and "resumed"), leader stages from the leader's file, follower
    /// stages from whichever follower acknowledged first.
    /// </summary>
    public static void Report(string leaderFile, IReadOnlyList<string> followerFiles)
    {
        static Dictionary<(string, ulong), long> Load(string f)
        {
            var d = new Dictionary<(string, ulong), long>();
            foreach (var line in File.ReadLines(f))
            {
                var p = line.Split('\t');
                var key = (p[0], ulong.Parse(p[1], CultureInfo.InvariantCulture));
                d.TryAdd(key, long.Parse(p[2], CultureInfo.InvariantCulture)); // first occurrence
            }
            return d;
        }
        var leader = Load(leaderFile);
        var followers = followerFiles.Where(File.Exists).Select(Load).ToList();
        var indexes = leader.Keys.Where(k => k.Item1 == "call").Select(k => k.Item2)
            .Where(i => leader.ContainsKey(("resumed", i))).OrderBy(i => i).ToList();
        var rows = new Dictionary<string, List<double>>();
        var order = new List<string>();
        void Add(string name, long ticks, long t0)
        {
            if (!rows.TryGetValue(name, out var l)) { rows[name] = l = new(); order.Add(name); }
            l.Add(Stopwatch.GetElapsedTime(t0, ticks).TotalMicroseconds);
        }
        string[] leaderStages = ["propose", "queued.append", "send.append", "sent.append", "persisted"];
        string[] followerStages = ["recv.append", "step.append", "persisted", "queued.ack", "send.ack", "sent.ack"];
        string[] leaderTail = ["recv.ack", "step.ack", "applied", "resumed"];
        foreach (var i in indexes)
        {
            var t0 = leader[("call", i)];
            foreach (var s in leaderStages) if (leader.TryGetValue((s, i), out var t)) Add("leader " + s, t, t0);
            // The follower whose acknowledgement reached the leader's loop first is the one that committed the entry.
            var first = followers.Where(f => f.ContainsKey(("sent.ack", i))).OrderBy(f => f[("sent.ack", i)]).FirstOrDefault();
            if (first is not null) foreach (var s in followerStages) if (first.TryGetValue((s, i), out var t)) Add("follower " + s, t, t0);
            foreach (var s in leaderTail) if (leader.TryGetValue((s, i), out var t)) Add("leader " + s, t, t0);
        }
        Console.WriteLine($"Per-stage trace of the 1-proposer row ({indexes.Count} proposals): median µs since ProposeAsync was called");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 µs since call | p90 µs since call |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var name in order)
        {
            var l = rows[name];
            l.Sort();
            Console.WriteLine(FormattableString.Invariant($"| {name} | {l[l.Count / 2]:F0} | {l[l.Count * 9 / 10]:F0} |"));
        }
    }
}
