// Cluster benchmark load generator: Consul.Web vs etcd, driven by bench/cluster/run.sh.
//   leader    <consul|etcd> <nodes>                          → 1-based index of the leader all members agree on
//   load      <consul-nodes> <consul-pids> <etcd-nodes> <etcd-pids> <seconds> <warmup-seconds>  → markdown tables
//   failover  <consul|etcd> <nodes> <killed 1-based> <killed-at-unix-ns>  → "ms new-leader"
//   caught-up <consul|etcd> <nodes> <member 1-based>          → ms until the member has a fresh write
//   floor     <dir>                                           → fsync and loopback round-trip latency (one commit's floor)
//   stability <consul-nodes> <idle-seconds> <load-seconds> <writers> → term and leader changes while idle, then under writes
// <nodes> is a comma-separated list of HTTP base URLs, <pids> comma-separated process ids.
using System.Globalization;
using Consul.Bench.Cluster;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 512,
    UseProxy = false,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(2),
})
{ Timeout = TimeSpan.FromSeconds(30) };

static IKvSystem SystemOf(string name) => name switch
{
    "consul" => new ConsulKv(),
    "etcd" => new EtcdKv(),
    _ => throw new ArgumentException($"unknown system {name}"),
};
static string[] Nodes(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
static int[] Pids(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();

switch (args.ElementAtOrDefault(0))
{
    case "leader":
    {
        var leader = await Failover.AgreedLeaderAsync(http, SystemOf(args[1]), Nodes(args[2]), TimeSpan.FromSeconds(60));
        if (leader < 0) { Console.Error.WriteLine("no agreed leader within 60 s"); return 1; }
        Console.WriteLine(leader + 1);
        return 0;
    }
    case "load":
    {
        var consulNodes = Nodes(args[1]);
        var etcdNodes = Nodes(args[3]);
        var consul = SystemOf("consul");
        var etcd = SystemOf("etcd");
        var cl = await Failover.AgreedLeaderAsync(http, consul, consulNodes, TimeSpan.FromSeconds(60));
        var el = await Failover.AgreedLeaderAsync(http, etcd, etcdNodes, TimeSpan.FromSeconds(60));
        if (cl < 0 || el < 0) { Console.Error.WriteLine("no leader"); return 1; }
        var matrix = new LoadMatrix(http, TimeSpan.FromSeconds(double.Parse(args[6])), TimeSpan.FromSeconds(double.Parse(args[5])));
        using var etcdGrpc = new EtcdGrpcKv();
        var etcdCpu = new CpuSample(Pids(args[4]));
        Console.Write(await matrix.RunAsync(
            new LoadMatrix.Side(consul, consulNodes[cl], new CpuSample(Pids(args[2]))),
            new LoadMatrix.Side(etcd, etcdNodes[el], etcdCpu),
            new LoadMatrix.Side(etcdGrpc, etcdNodes[el], etcdCpu)));
        return 0;
    }
    case "failover":
    {
        var (ms, leader) = await Failover.MeasureAsync(http, SystemOf(args[1]), Nodes(args[2]), int.Parse(args[3]) - 1,
            long.Parse(args[4]), TimeSpan.FromSeconds(30));
        if (leader < 0) { Console.Error.WriteLine("no new leader accepted a write within 30 s"); return 1; }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms:F0} {leader + 1}"));
        return 0;
    }
    case "caught-up":
    {
        var ms = await Failover.CaughtUpAsync(http, SystemOf(args[1]), Nodes(args[2]), int.Parse(args[3]) - 1, TimeSpan.FromSeconds(60));
        if (double.IsNaN(ms)) { Console.Error.WriteLine("member not caught up within 60 s"); return 1; }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ms:F0}"));
        return 0;
    }
    case "floor":
        Console.WriteLine(Floor.Measure(args[1]));
        return 0;
    case "stability":
    {
        var nodes = Nodes(args[1]);
        if (await Failover.AgreedLeaderAsync(http, SystemOf("consul"), nodes, TimeSpan.FromSeconds(60)) < 0)
        {
            Console.Error.WriteLine("no agreed leader within 60 s");
            return 1;
        }
        Console.Write(await new Stability(http, nodes).RunAsync(TimeSpan.FromSeconds(double.Parse(args[2])),
            TimeSpan.FromSeconds(double.Parse(args[3])), int.Parse(args[4])));
        return 0;
    }
    default:
        Console.Error.WriteLine("usage: LoadGen leader|load|failover|caught-up|floor|stability ... (see Program.cs)");
        return 2;
}
