using System.Diagnostics;

namespace Consul.Bench.Ui;

/// <summary>Issues KV PUTs at a fixed rate (open loop, bounded concurrency).</summary>
public static class KvWriter
{
    public static async Task<(int Sent, int Ok)> RunAsync(HttpClient http, string baseUrl, int perSecond, TimeSpan duration)
    {
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var gate = new SemaphoreSlim(32);
        var inflight = new List<Task>();
        int sent = 0, ok = 0;
        var sw = Stopwatch.StartNew();
        for (var i = 0; sw.Elapsed < duration; i++)
        {
            var due = interval * i;
            var wait = due - sw.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            if (!gate.Wait(0)) continue; // agent fell behind: skip rather than queue
            sent++;
            var n = i;
            inflight.Add(Task.Run(async () =>
            {
                try
                {
                    using var body = new StringContent($"value-{n}");
                    using var res = await http.PutAsync($"{baseUrl}/v1/kv/bench/ui/key{n % 50}", body);
                    if (res.IsSuccessStatusCode) Interlocked.Increment(ref ok);
                }
                catch (HttpRequestException) { }
                finally { gate.Release(); }
            }));
        }
        await Task.WhenAll(inflight);
        return (sent, ok);
    }
}
