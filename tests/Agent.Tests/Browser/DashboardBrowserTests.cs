using System.Diagnostics;
using System.Text;
using Consul.Tests.EndToEnd;
using Microsoft.Playwright;

namespace Consul.Tests.Browser;

/// <summary>
/// Headless Chromium (Debian's, driven by Playwright) against a real `consul agent -dev`:
/// the dashboard loads, a service registered through the API appears without reload, and
/// a KV edit made in the UI is visible through the API. Screenshots go to TestResults/screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public class DashboardBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact(Timeout = 180_000)]
    public async Task DashboardServicesAndKvWorkLiveInTheBrowser()
    {
        Assert.True(File.Exists(Chromium), "Chromium is not installed (.ci/run installs Debian's chromium)");
        await using var agent = await AgentProcess.StartDevAsync();
        using var http = new HttpClient { BaseAddress = new Uri(agent.HttpAddr), Timeout = TimeSpan.FromSeconds(10) };
        var shots = Directory.CreateDirectory(Path.Combine(RepoRoot(), "TestResults", "screenshots")).FullName;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

        // Dashboard: the landing page, with this node as leader.
        await page.GotoAsync(agent.HttpAddr + "/");
        Assert.EndsWith("/ui/", page.Url);
        await WaitForCircuit(page);
        await page.GetByText("Leader").First.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "dashboard.png"), FullPage = true });

        // Services: a registration through the HTTP API shows up pushed, without a reload (the Services
        // page has no refresh timer: only the event stream can bring it), within 5 s of being acknowledged
        // (seconds, not milliseconds, as the whole suite shares two cores with it).
        await page.GotoAsync(agent.HttpAddr + "/ui/services");
        await WaitForCircuit(page);
        await page.EvaluateAsync("() => { window.__beforeRegistration = true; }");
        var body = """{"ID":"web-live-1","Name":"web-live","Tags":["v1"],"Port":8080,"Check":{"TTL":"30s","Status":"passing"}}""";
        using (var put = await http.PutAsync("/v1/agent/service/register", new StringContent(body, Encoding.UTF8, "application/json")))
            Assert.True(put.IsSuccessStatusCode);
        var registered = Stopwatch.StartNew();
        await page.GetByText("web-live").First.WaitForAsync(new() { Timeout = 5_000 });
        Assert.True(registered.Elapsed < TimeSpan.FromSeconds(5), $"service appeared after {registered.Elapsed}");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__beforeRegistration === true"), "the page was reloaded");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "services.png"), FullPage = true });

        await page.GotoAsync(agent.HttpAddr + "/ui/services/web-live");
        await page.GetByText("8080").First.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "service-detail.png"), FullPage = true });

        await page.GotoAsync(agent.HttpAddr + "/ui/nodes");
        await page.GetByText("serfHealth").First.Or(page.GetByText("alive").First).First.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "nodes.png"), FullPage = true });

        // KV: edit a value in the UI; the API returns the new value.
        using (var put = await http.PutAsync("/v1/kv/app/config", new StringContent("before")))
            Assert.True(put.IsSuccessStatusCode);
        await page.GotoAsync(agent.HttpAddr + "/ui/kv/app/config");
        await WaitForCircuit(page);
        var editor = page.Locator(".value-editor textarea");
        await editor.WaitForAsync(new() { Timeout = 15_000 });
        await editor.FillAsync("after-from-browser");
        await page.Locator("#save").ClickAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string value = "";
        while (DateTime.UtcNow < deadline)
        {
            value = await http.GetStringAsync("/v1/kv/app/config?raw");
            if (value == "after-from-browser") break;
            await Task.Delay(100);
        }
        Assert.Equal("after-from-browser", value);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "kv.png"), FullPage = true });
    }

    /// <summary>Waits until the Blazor circuit is connected, so later changes arrive live.</summary>
    private static async Task WaitForCircuit(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = 15_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 15_000 });
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Consul.Web.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }
}
