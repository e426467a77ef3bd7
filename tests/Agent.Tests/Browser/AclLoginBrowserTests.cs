using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Consul.Core.Acl;
using Consul.Core.State;
using Consul.Tests.EndToEnd;
using Consul.Tests.Http;
using Consul.Tests.Ui;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Consul.Tests.Browser;

/// <summary>
/// Headless Chromium against an in-process agent with ACLs on (default deny) on a loopback
/// address: anonymous sees nothing, logging in with a limited token shows only the services and
/// keys it may read, later registrations and writes arrive live only if permitted, the cookie is
/// HttpOnly and SameSite=Strict, and logging out clears it.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AclLoginBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const string RootSecret = "root-secret-for-browser";
    private const string LimitedSecret = "limited-secret-for-browser";

    [Fact(Timeout = 180_000)]
    public async Task Limited_token_sees_only_permitted_services_and_keys_live_and_logs_out()
    {
        Assert.True(File.Exists(Chromium), "Chromium is not installed (.ci/run installs Debian's chromium)");
        await using var agent = await AclAgent.StartAsync();
        using var http = agent.Client();
        await agent.CreateLimitedTokenAsync();
        await http.Register("web", "ext-node");
        await http.Register("db", "ext-node");
        await http.Put("/v1/kv/app/config", "visible");
        await http.Put("/v1/kv/secret/config", "hidden");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var ui = agent.BaseUrl + "/ui";

        // Anonymous (default deny): no services, and the page offers the login.
        await page.GotoAsync(ui + "/services");
        await WaitForCircuit(page);
        await page.Locator(".acl-filtered .login-link").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.Locator(".service-link").CountAsync());

        // A wrong token: the form says "ACL not found".
        await page.Locator(".acl-filtered .login-link").ClickAsync();
        await page.WaitForURLAsync("**/ui/login?returnUrl=services", new() { Timeout = 15_000 });
        await page.Locator("#token").FillAsync("no-such-token");
        await page.Locator("#login").ClickAsync();
        await page.Locator(".login-error").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("ACL not found", (await page.Locator(".login-error").InnerTextAsync()).Trim());

        // The limited token: back on the services page, signed in.
        await page.Locator("#token").FillAsync(LimitedSecret);
        await page.Locator("#login").ClickAsync();
        await page.WaitForURLAsync("**/ui/services", new() { Timeout = 15_000 });
        await WaitForCircuit(page);
        await page.Locator(".service-link", new() { HasText = "web" }).First.WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal(["web"], await ServiceNames(page));

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "consul-ui-token");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);
        Assert.False(cookie.Secure); // plain http here; https requests get Secure
        Assert.DoesNotContain(LimitedSecret, cookie.Value);

        // The events hub authenticates from the same cookie: the connection streams only what the token may read.
        await AssertHubFollowsTheCookie(agent.BaseUrl, cookie.Value, http);

        // Live: a hidden registration first, then a permitted one; only the permitted one shows.
        await http.Register("db-late", "ext-node");
        await http.Register("web-late", "ext-node");
        await page.Locator(".service-link", new() { HasText = "web-late" }).WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal(["web", "web-late"], (await ServiceNames(page)).Order().ToList());

        // KV: only app/ at the root; a key written later shows up live in its folder and the event feed.
        await page.GotoAsync(ui + "/kv/");
        await WaitForCircuit(page);
        await page.Locator(".kv-child[data-key='app/']").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal(0, await page.Locator(".kv-child[data-key='secret/']").CountAsync());

        await page.GotoAsync(ui + "/events");
        await WaitForCircuit(page);
        await http.Put("/v1/kv/secret/late", "hidden");
        await http.Put("/v1/kv/app/late", "visible");
        await page.GetByText("kv put app/late").WaitForAsync(new() { Timeout = 10_000 });
        Assert.Equal(0, await page.GetByText("secret/late").CountAsync());

        // The hidden key itself: Consul's permission-denied text.
        await page.GotoAsync(ui + "/kv/secret/config");
        await page.Locator(".denied-message").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Contains("lacks permission 'key:read' on \"secret/config\"", await page.Locator(".denied-message").InnerTextAsync());

        // Log out (a POST with the antiforgery token): cookie gone, anonymous view again.
        await page.GotoAsync(ui + "/acl");
        await WaitForCircuit(page);
        await page.Locator("#acl-logout").ClickAsync();
        await page.WaitForURLAsync("**/ui/", new() { Timeout = 15_000 });
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "consul-ui-token");
        await page.Locator(".nav-login").WaitForAsync(new() { Timeout = 15_000 });
        Assert.Equal("0", (await page.Locator("#card-services .stat-value").InnerTextAsync()).Trim());
    }

    private static async Task AssertHubFollowsTheCookie(string baseUrl, string cookieValue, HttpClient http)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", "consul-ui-token=" + cookieValue);
        await socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ui/hub/events"), cts.Token);
        await EventsHubWireTests.Send(socket, "{\"protocol\":\"json\",\"version\":1}", cts.Token);
        var reader = new EventsHubWireTests.RecordReader(socket);
        Assert.Equal("{}", await reader.NextAsync(cts.Token));

        // Written before the stream starts, so it comes in the replay, which must hold no secret/ key.
        await http.Put("/v1/kv/app/hub-first", "x");
        await EventsHubWireTests.Send(socket, "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Stream\",\"arguments\":[1000]}", cts.Token);
        var replayedKeys = new List<string>();
        while (!replayedKeys.Contains("app/hub-first")) replayedKeys.AddRange(await NextKvKey(reader, cts.Token));
        Assert.Contains("app/config", replayedKeys);
        Assert.DoesNotContain(replayedKeys, k => k.StartsWith("secret/", StringComparison.Ordinal));

        // Live: the hidden write comes first, so a leak would be the next key seen.
        await http.Put("/v1/kv/secret/hub", "hidden");
        await http.Put("/v1/kv/app/hub", "visible");
        var live = new List<string>();
        while (live.Count == 0) live.AddRange(await NextKvKey(reader, cts.Token));
        Assert.Equal(["app/hub"], live);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
    }

    /// <summary>The key of the next stream item if it is a KV event; other kinds (node, check) yield nothing.</summary>
    private static async Task<IEnumerable<string>> NextKvKey(EventsHubWireTests.RecordReader reader, CancellationToken ct)
    {
        var item = await EventsHubWireTests.NextItem(reader, ct);
        return item.TryGetProperty("Key", out var key) ? [key.GetString()!] : [];
    }

    private static async Task<List<string>> ServiceNames(IPage page) =>
        (await page.Locator(".service-link").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    /// <summary>Waits until the Blazor circuit is connected, so later changes arrive live.</summary>
    private static async Task WaitForCircuit(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined", null, new() { Timeout = 15_000 });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 15_000 });
    }

    /// <summary>A dev agent in this process with ACLs on, its HTTP (and UI) on a loopback address and a free port.</summary>
    private sealed class AclAgent : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private AclAgent(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<AclAgent> StartAsync()
        {
            var address = ConsulExe.NextLoopback();
            var config = AgentTestHost.DefaultConfig() with
            {
                UiEnabled = true,
                BindAddr = address,
                ClientAddr = address,
                ClientAddrs = [address],
                Ports = new PortsConfig { Dns = -1, Http = 0 },
                Acl = new AclConfig { Enabled = true, DefaultPolicy = "deny", Tokens = new AclTokensConfig { InitialManagement = RootSecret } },
            };
            var app = AgentHost.Build(config);
            await app.StartAsync();
            var agent = new AclAgent(app, app.Urls.Single(u => u.Contains(address, StringComparison.Ordinal)).TrimEnd('/'));
            var store = app.Services.GetRequiredService<StateStore>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && store.Current.AclSecrets.ContainsKey(RootSecret)))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("ACLs were not initialized");
                await Task.Delay(50);
            }
            return agent;
        }

        public HttpClient Client()
        {
            var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("X-Consul-Token", RootSecret);
            return client;
        }

        /// <summary>service_prefix "web" read, key_prefix "app/" read, and node_prefix "" read (Consul shows no instance without it).</summary>
        public async Task CreateLimitedTokenAsync()
        {
            var log = _app.Services.GetRequiredService<ICommandLog>();
            var policy = new AclPolicy
            {
                ID = "6a1f2f3e-0000-4000-8000-000000000001",
                Name = "web-and-app",
                Rules = """
                    service_prefix "web" { policy = "read" }
                    key_prefix "app/" { policy = "read" }
                    node_prefix "" { policy = "read" }
                    """,
            }.WithHash();
            var token = new AclToken
            {
                AccessorID = "6a1f2f3e-0000-4000-8000-000000000002",
                SecretID = LimitedSecret,
                Description = "browser test: web and app/ readers",
                Policies = [new AclTokenPolicyLink { ID = policy.ID }],
                CreateTime = DateTimeOffset.UtcNow,
            }.WithHash();
            var p = await log.ApplyAsync(new AclCommand { Verb = AclCommand.PolicySet, Policy = policy });
            Assert.True(p.Ok, p.Error);
            var t = await log.ApplyAsync(new AclCommand { Verb = AclCommand.TokenSet, Token = token });
            Assert.True(t.Ok, t.Error);
        }

        public async ValueTask DisposeAsync()
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(cts.Token);
            await _app.DisposeAsync();
        }
    }
}

internal static class AclBrowserHttp
{
    /// <summary>A catalog registration on another node (the agent's anti-entropy leaves it alone).</summary>
    public static async Task Register(this HttpClient http, string service, string node)
    {
        var body = $$$"""{"Node":"{{{node}}}","Address":"127.0.0.250","Service":{"ID":"{{{service}}}-1","Service":"{{{service}}}","Port":8080}}""";
        using var put = await http.PutAsync("/v1/catalog/register", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }

    public static async Task Put(this HttpClient http, string path, string value)
    {
        using var content = new StringContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(path, content);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
    }
}
