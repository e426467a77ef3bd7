// Opens N concurrent blocking queries (?index=<current>&wait=<w>) against an agent and
// holds them open until told to stop, reporting how many are in flight.
// usage: BlockingHold <base-url> <count> <wait> <seconds-to-hold>
using System.Net;

var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:8500";
var count = args.Length > 1 ? int.Parse(args[1]) : 10_000;
var wait = args.Length > 2 ? args[2] : "5m";
var hold = TimeSpan.FromSeconds(args.Length > 3 ? int.Parse(args[3]) : 60);

var handler = new SocketsHttpHandler { MaxConnectionsPerServer = count + 10, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = Timeout.InfiniteTimeSpan };

using var first = await http.GetAsync("/v1/kv/bench/block");
var index = first.Headers.TryGetValues("X-Consul-Index", out var v) ? v.First() : "1";

using var stop = new CancellationTokenSource(hold);
var inFlight = 0;
var failed = 0;
var tasks = new List<Task>(count);
for (var i = 0; i < count; i++)
{
    tasks.Add(Task.Run(async () =>
    {
        try
        {
            Interlocked.Increment(ref inFlight);
            using var r = await http.GetAsync($"/v1/kv/bench/block?index={index}&wait={wait}", stop.Token);
            if (r.StatusCode != HttpStatusCode.OK && r.StatusCode != HttpStatusCode.NotFound) Interlocked.Increment(ref failed);
        }
        catch (OperationCanceledException) { }
        catch (HttpRequestException) { Interlocked.Increment(ref failed); }
        finally { Interlocked.Decrement(ref inFlight); }
    }));
    if (i % 500 == 499) await Task.Delay(50); // ramp up without a SYN flood
}
Console.WriteLine($"opened {count} blocking queries");
while (!stop.IsCancellationRequested)
{
    Console.WriteLine($"in-flight {Volatile.Read(ref inFlight)} failed {Volatile.Read(ref failed)}");
    try { await Task.Delay(2000, stop.Token); } catch (OperationCanceledException) { }
}
await Task.WhenAll(tasks);
Console.WriteLine($"done: failed {failed}");
