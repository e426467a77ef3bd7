using System.Diagnostics;
using Consul.Core.Gossip.Serf;
using Consul.Tests.Gossip.Sim;
using HdrHistogram;

// Gossip bench: failure-detection time and bandwidth at LAN defaults, on the seeded simulator.
// Usage: dotnet run -c Release --project bench/gossip -- [sizes=10,100,500] [trials=20] [settle-seconds=60]
var sizes = args.Length > 0 ? args[0].Split(',').Select(int.Parse).ToArray() : [10, 100, 500];
var trials = args.Length > 1 ? int.Parse(args[1]) : 20;
// Seconds to let the join storm's broadcasts drain before measuring steady-state bandwidth.
var settle = args.Length > 2 ? int.Parse(args[2]) : 60;

Console.WriteLine("| members | trials | first node marks failed p50 / p99 (s) | failed everywhere p50 / p90 / max (s) | bytes/node/s (UDP) | bytes/node/s (TCP) | sim CPU s |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var n in sizes)
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var first = new LongHistogram(3_600_000, 3);
    var all = new LongHistogram(3_600_000, 3);
    double udpRate = 0, tcpRate = 0;
    var t = n >= 500 ? Math.Max(3, trials / 4) : trials;
    for (var trial = 0; trial < t; trial++)
    {
        var net = Start(1000 + trial, n);
        if (trial == 0)
        {
            // Steady-state bandwidth over a minute with no failures, after the joins settled.
            net.RunFor(TimeSpan.FromSeconds(settle));
            var u = net.UdpBytes; var s = net.StreamBytes;
            net.RunFor(TimeSpan.FromSeconds(60));
            udpRate = (net.UdpBytes - u) / 60.0 / n;
            tcpRate = (net.StreamBytes - s) / 60.0 / n;
        }
        var victim = net.Nodes[net.Rng.Next(n)];
        var killedAt = net.Now;
        net.Kill(victim);
        TimeSpan? firstAt = null;
        var at = net.RunUntil(() =>
        {
            var seen = net.Live.Count(o => net.StatusSeenBy(o, victim) == MemberStatus.Failed);
            if (seen > 0 && firstAt == null) firstAt = net.Now;
            return seen == net.Live.Count();
        }, TimeSpan.FromSeconds(300), TimeSpan.FromMilliseconds(100));
        if (firstAt != null) first.RecordValue((long)(firstAt.Value - killedAt).TotalMilliseconds);
        if (at != null) all.RecordValue((long)(at.Value - killedAt).TotalMilliseconds);
    }
    var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    static string S(LongHistogram h, double p) => (h.GetValueAtPercentile(p) / 1000.0).ToString("F1");
    Console.WriteLine($"| {n} | {t} | {S(first, 50)} / {S(first, 99)} | {S(all, 50)} / {S(all, 90)} / {(all.GetMaxValue() / 1000.0):F1} | {udpRate:F0} | {tcpRate:F0} | {used:F1} |");
}

Console.WriteLine();
Console.WriteLine("| scenario (30 members, 120 s, 5 seeds) | false failures (node-runs) | refutations by healthy nodes |");
Console.WriteLine("|---|---|---|");
foreach (var (label, lifeguard, loss, tcp, slow) in new[]
{
    ("one slow node (+600 ms each way), Lifeguard on", true, 0.0, true, true),
    ("one slow node (+600 ms each way), Lifeguard off", false, 0.0, true, true),
    ("10% UDP loss, TCP fallback on", true, 0.10, true, false),
    ("20% UDP loss, TCP fallback on", true, 0.20, true, false),
    ("10% UDP loss, TCP fallback off", true, 0.10, false, false),
    ("20% UDP loss, TCP fallback off", true, 0.20, false, false),
})
{
    var falseFailures = 0;
    long refutations = 0;
    for (var seed = 1; seed <= 5; seed++)
    {
        var net = Start(seed, 30, c => c with
        {
            Swim = c.Swim with
            {
                DisableTcpPings = !tcp,
                AwarenessMaxMultiplier = lifeguard ? 8 : 1,
                SuspicionMaxTimeoutMult = lifeguard ? 6 : 1,
            },
        });
        SimNode? slowNode = slow ? net.Nodes[net.Rng.Next(30)] : null;
        if (slowNode != null) slowNode.SlowDelay = TimeSpan.FromMilliseconds(600);
        net.LossRate = loss;
        var before = net.Nodes.ToDictionary(x => x, x => x.Core.Swim.Incarnation);
        net.RunFor(TimeSpan.FromSeconds(120));
        falseFailures += net.Nodes.SelectMany(o => o.Events).Where(e => e.Event is MemberEvent { Type: MemberEventType.Failed })
            .Select(e => ((MemberEvent)e.Event).Member.Name).Distinct().Count();
        refutations += net.Nodes.Where(x => x != slowNode).Sum(x => (long)(x.Core.Swim.Incarnation - before[x]));
    }
    Console.WriteLine($"| {label} | {falseFailures} of 150 | {refutations} |");
}

static SimNetwork Start(int seed, int n, Func<SerfConfig, SerfConfig>? configure = null)
{
    var net = new SimNetwork(seed, configure);
    net.AddNode();
    for (var i = 1; i < n; i++)
    {
        var node = net.AddNode();
        net.Join(node, net.Nodes[net.Rng.Next(i)]);
        net.RunFor(TimeSpan.FromMilliseconds(10));
    }
    if (net.RunUntil(net.Converged, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(1)) == null)
        throw new InvalidOperationException($"{n} nodes did not converge: {net.Describe()}");
    return net;
}
