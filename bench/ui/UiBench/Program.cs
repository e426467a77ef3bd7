// UI benchmark: time to first render of the dashboard, agent RSS per open circuit,
// and agent CPU under KV writes with and without open dashboards.
// Usage: UiBench <agent base url, e.g. http://127.0.0.60:8500> <agent pid> [clock ticks per second]
using System.Globalization;
using Consul.Bench.Ui;
using Microsoft.Playwright;

var baseUrl = args[0].TrimEnd('/');
var agent = new AgentProcess(int.Parse(args[1]));
var ticksPerSecond = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 100.0;
const int Loads = 10, Tabs = 20, WritesPerSecond = 100;
var cpuWindow = TimeSpan.FromSeconds(20);
var probe = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Probe.js"));
var inv = CultureInfo.InvariantCulture;

Console.Error.WriteLine("launching chromium");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            // keep 20 tabs equally live: no timer throttling of background tabs
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
});

async Task<(double Heading, double Circuit)> LoadDashboardAsync(IPage page)
{
    await page.GotoAsync($"{baseUrl}/ui/", new() { WaitUntil = WaitUntilState.Commit, Timeout = 15000 });
    Console.Error.WriteLine("  navigated");
    // Poll with a deadline (evaluate is cheap; 20 ms poll is well under the figures measured).
    var deadline = DateTime.UtcNow.AddSeconds(15);
    while (!await page.EvaluateAsync<bool>("() => !!window.__uiBench && window.__uiBench.heading !== null && window.__uiBench.circuit !== null"))
    {
        if (DateTime.UtcNow > deadline)
            throw new TimeoutException("dashboard not rendered: " + await page.EvaluateAsync<string>("() => JSON.stringify(window.__uiBench)"));
        await Task.Delay(20);
    }
    var marks = await page.EvaluateAsync<double[]>("() => [window.__uiBench.heading, window.__uiBench.circuit]");
    return (marks[0], marks[1]);
}

async Task<IBrowserContext> NewContextAsync()
{
    var ctx = await browser.NewContextAsync();
    await ctx.AddInitScriptAsync(probe);
    return ctx;
}

// 1. Time to first render: one cold (first-ever) load, then 10 loads each in a fresh context.
Console.Error.WriteLine("cold load");
var cold = await MeasureOneAsync();
var headings = new List<double>();
var circuits = new List<double>();
for (var i = 0; i < Loads; i++)
{
    var (h, c) = await MeasureOneAsync();
    headings.Add(h);
    circuits.Add(c);
}

async Task<(double, double)> MeasureOneAsync()
{
    await using var ctx = await NewContextAsync();
    var page = await ctx.NewPageAsync();
    var r = await LoadDashboardAsync(page);
    await page.CloseAsync(new() { RunBeforeUnload = true });
    return r;
}

using var http = new HttpClient();

// 2+3 with zero dashboards: let closed circuits tear down, then RSS and CPU under writes.
Console.Error.WriteLine("loads done");
await Task.Delay(TimeSpan.FromSeconds(3));
var rss0 = agent.RssKiB();
var (cpu0, writes0) = await CpuUnderWritesAsync();

Console.Error.WriteLine("cpu 0 done");
// Open 20 dashboards as tabs of one browser, all kept connected.
await using var tabsCtx = await NewContextAsync();
var pages = new List<IPage>();
for (var i = 0; i < Tabs; i++)
{
    var page = await tabsCtx.NewPageAsync();
    await LoadDashboardAsync(page);
    pages.Add(page);
}
Console.Error.WriteLine("tabs open");
await Task.Delay(TimeSpan.FromSeconds(3));
var rss20 = agent.RssKiB();
var (cpu20, writes20) = await CpuUnderWritesAsync();
var stillConnected = 0;
foreach (var p in pages)
{
    // Blazor shows #components-reconnect-modal when a circuit drops; none should be visible.
    if (!await p.IsVisibleAsync("#components-reconnect-modal")) stillConnected++;
}

async Task<(double CpuPercent, (int Sent, int Ok) Writes)> CpuUnderWritesAsync()
{
    var t0 = agent.CpuTicks();
    var sw = System.Diagnostics.Stopwatch.StartNew();
    var writes = await KvWriter.RunAsync(http, baseUrl, WritesPerSecond, cpuWindow);
    var t1 = agent.CpuTicks();
    var seconds = sw.Elapsed.TotalSeconds;
    return ((t1 - t0) / ticksPerSecond / seconds * 100.0, writes);
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

string Ms(double v) => v.ToString("F0", inv) + " ms";
Console.WriteLine("| Measure | Value |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| First render, nav start → \"Cluster overview\" h1 in DOM, median of {Loads} | {Ms(Median(headings))} (min {Ms(headings.Min())}, max {Ms(headings.Max())}) |");
Console.WriteLine($"| Circuit connected, nav start → first /_blazor WebSocket message, median of {Loads} | {Ms(Median(circuits))} (min {Ms(circuits.Min())}, max {Ms(circuits.Max())}) |");
Console.WriteLine($"| Cold first load (not in median): h1 / circuit | {Ms(cold.Item1)} / {Ms(cold.Item2)} |");
Console.WriteLine($"| Agent VmRSS, 0 dashboards | {rss0 / 1024.0:F1} MiB |");
Console.WriteLine($"| Agent VmRSS, {Tabs} dashboards ({stillConnected} connected at end) | {rss20 / 1024.0:F1} MiB |");
Console.WriteLine($"| RSS per circuit ((20 − 0) / {Tabs}) | {(rss20 - rss0) / (double)Tabs / 1024.0:F2} MiB |");
Console.WriteLine($"| Agent CPU, {WritesPerSecond} KV PUT/s for {cpuWindow.TotalSeconds:F0} s, 0 dashboards | {cpu0:F1} % of one core ({writes0.Ok}/{writes0.Sent} PUTs ok) |");
Console.WriteLine($"| Agent CPU, {WritesPerSecond} KV PUT/s for {cpuWindow.TotalSeconds:F0} s, {Tabs} dashboards | {cpu20:F1} % of one core ({writes20.Ok}/{writes20.Sent} PUTs ok) |");
