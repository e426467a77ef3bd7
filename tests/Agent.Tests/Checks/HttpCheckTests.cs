using System.Collections.Concurrent;
using Consul.Core.Checks;
using Consul.Core.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Consul.Tests.Checks;

public class HttpCheckTests
{
    private static Task<TestWebServer> Server(ConcurrentQueue<string>? seen = null) => TestWebServer.StartAsync(app =>
    {
        app.MapGet("/ok", () => "hello");
        app.MapGet("/busy", () => Results.StatusCode(429));
        app.MapGet("/fail", () => Results.Text("broken", statusCode: 500));
        app.MapGet("/big", () => new string('a', 100) + new string('z', 10));
        app.MapGet("/redirect", () => Results.Redirect("/fail"));
        app.MapGet("/hang", async (HttpContext ctx) =>
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            return "never";
        });
        app.Map("/echo", async (HttpContext ctx) =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            seen?.Enqueue($"{ctx.Request.Method}|{ctx.Request.Headers.UserAgent}|{ctx.Request.Headers.Accept}|{ctx.Request.Headers["X-Test"]}|{ctx.Request.Headers.Host}|{ctx.Request.ContentType}|{body}");
            return "echoed";
        });
    });

    [Fact(Timeout = 30_000)]
    public async Task Success2xxIsPassingWithConsulsOutput()
    {
        await using var web = await Server();
        await using var h = new CheckHarness();
        h.Manager.Start("h", Defs.Http(web.Url("/ok")));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(new CheckUpdate("h", HealthStatus.Passing, $"HTTP GET {web.Url("/ok")}: 200 OK Output: hello"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task TooManyRequestsIsWarning()
    {
        await using var web = await Server();
        await using var h = new CheckHarness();
        h.Manager.Start("h", Defs.Http(web.Url("/busy")));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(new CheckUpdate("h", HealthStatus.Warning, $"HTTP GET {web.Url("/busy")}: 429 Too Many Requests Output: "), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task ServerErrorIsCritical()
    {
        await using var web = await Server();
        await using var h = new CheckHarness();
        h.Manager.Start("h", Defs.Http(web.Url("/fail")));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(new CheckUpdate("h", HealthStatus.Critical, $"HTTP GET {web.Url("/fail")}: 500 Internal Server Error Output: broken"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task BodyIsCutToItsLastOutputMaxSizeBytes()
    {
        await using var web = await Server();
        await using var h = new CheckHarness(new CheckManagerOptions { OutputMaxSize = 12 });
        h.Manager.Start("h", Defs.Http(web.Url("/big")));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal($"HTTP GET {web.Url("/big")}: 200 OK Output: aazzzzzzzzzz", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task RedirectsAreFollowedUnlessDisabled()
    {
        await using var web = await Server();
        await using var h = new CheckHarness();
        h.Manager.Start("follow", Defs.Http(web.Url("/redirect")));
        var noFollow = Defs.Http(web.Url("/redirect"));
        noFollow.DisableRedirects = true;
        h.Manager.Start("stay", noFollow);
        Assert.Equal(HealthStatus.Critical, (await h.DriveUntilUpdate("follow")).Status);
        Assert.Contains(": 500 Internal Server Error Output: broken", (await h.DriveUntilUpdate("follow")).Output);
        var stay = await h.DriveUntilUpdate("stay");
        Assert.Equal($"HTTP GET {web.Url("/redirect")}: 302 Found Output: ", stay.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task SendsMethodHeadersAndBody()
    {
        var seen = new ConcurrentQueue<string>();
        await using var web = await Server(seen);
        await using var h = new CheckHarness();
        var def = Defs.Http(web.Url("/echo"));
        def.Method = "POST";
        def.Body = "{\"a\":1}";
        def.Header = new() { ["X-Test"] = ["yes"], ["Content-Type"] = ["application/json"], ["Host"] = ["example.test"] };
        h.Manager.Start("h", def);
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal($"HTTP POST {web.Url("/echo")}: 200 OK Output: echoed", u.Output);
        Assert.Equal("POST|Consul Health Check|text/plain, text/*, */*|yes|example.test|application/json|{\"a\":1}", Assert.Single(seen));
    }

    [Fact(Timeout = 30_000)]
    public async Task UserHeadersOverrideDefaults()
    {
        var seen = new ConcurrentQueue<string>();
        await using var web = await Server(seen);
        await using var h = new CheckHarness();
        var def = Defs.Http(web.Url("/echo"));
        def.Header = new() { ["User-Agent"] = ["mine"], ["Accept"] = ["application/json"] };
        h.Manager.Start("h", def);
        await h.DriveUntilUpdate("h");
        Assert.StartsWith("GET|mine|application/json|", Assert.Single(seen));
    }

    [Fact(Timeout = 30_000)]
    public async Task TimeoutIsCritical()
    {
        await using var web = await Server();
        await using var h = new CheckHarness();
        var def = Defs.Http(web.Url("/hang"));
        def.Timeout = "2s";
        h.Manager.Start("h", def);
        var u = await h.DriveUntilUpdate("h", duringProbes: true);
        Assert.Equal(new CheckUpdate("h", HealthStatus.Critical,
            $"Get \"{web.Url("/hang")}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task ConnectionRefusedIsCritical()
    {
        var port = Defs.ClosedPort();
        var url = $"http://127.0.0.1:{port}/health";
        await using var h = new CheckHarness();
        h.Manager.Start("h", Defs.Http(url));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(new CheckUpdate("h", HealthStatus.Critical, $"Get \"{url}\": dial tcp 127.0.0.1:{port}: connect: connection refused"), u);
    }
}
