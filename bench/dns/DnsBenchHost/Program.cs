using System.Net;
using Consul.Core.Dns;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;
using Microsoft.Extensions.Logging;

// Usage: DnsBenchHost [port] [churn-ms]   (default 8600, no churn). Serves the catalog below until
// stdin closes or SIGTERM. With churn-ms, a catalog write (another node's meta) every churn-ms moves
// the catalog index, which empties the answer caches as any catalog change on a busy cluster would.
var port = args.Length > 0 ? int.Parse(args[0]) : 8600;
var churn = args.Length > 1 ? TimeSpan.FromMilliseconds(int.Parse(args[1])) : TimeSpan.Zero;
var store = new StateStore();
var fsm = new StateMachine(store, new EventStream());
ulong index = 0;
void Register(RegisterCommand c)
{
    var r = fsm.Apply(++index, c);
    if (!r.Ok) throw new InvalidOperationException(r.Error);
}

// The same names bench/dns/dnsmasq.conf serves: web on three nodes, db on 20, consul on node1.
for (var i = 1; i <= 3; i++)
{
    Register(new RegisterCommand
    {
        Node = $"node{i}", Address = $"10.0.0.{i}", Datacenter = "dc1",
        Service = new NodeService { ID = "web", Service = "web", Port = 8080 },
        Checks = [new HealthCheck { CheckID = "web-check", Name = "web", Status = HealthStatus.Passing, ServiceID = "web" }],
    });
}
Register(new RegisterCommand { Node = "node1", Address = "10.0.0.1", Datacenter = "dc1", SkipNodeUpdate = true, Service = new NodeService { ID = "consul", Service = "consul", Port = 8300 } });
for (var i = 1; i <= 20; i++)
    Register(new RegisterCommand { Node = $"db{i}", Address = $"10.2.0.{i}", Datacenter = "dc1", Service = new NodeService { ID = "db", Service = "db", Port = 5432 } });

using var logs = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
await using var server = new ConsulDnsServer(new DnsOptions { BindAddress = IPAddress.Loopback, Port = port, NodeName = "node1" }, store, logs);
await server.StartAsync(CancellationToken.None);
Console.WriteLine($"listening on 127.0.0.1:{server.Port}");

object writeLock = new();
using var churnTimer = churn > TimeSpan.Zero
    ? new Timer(_ =>
    {
        lock (writeLock)
            fsm.Apply(++index, new RegisterCommand { Node = "churn", Address = "10.9.0.1", Datacenter = "dc1", NodeMeta = new() { ["n"] = index.ToString() } });
    }, null, churn, churn)
    : null;

var stop = new TaskCompletionSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
_ = Task.Run(() => { while (Console.In.ReadLine() is not null) { } stop.TrySetResult(); });
await stop.Task;
