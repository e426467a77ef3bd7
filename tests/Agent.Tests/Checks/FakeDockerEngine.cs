using System.Buffers.Binary;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Checks;

/// <summary>
/// Just enough of the Docker Engine exec API, on a unix socket, to run Docker checks without
/// a daemon: containers "web" (exec prints and exits with ExitCode), "paused" (409), others 404.
/// </summary>
internal sealed class FakeDockerEngine : IAsyncDisposable
{
    private readonly WebApplication _app;
    public string SocketPath { get; }
    public string Host => "unix://" + SocketPath;
    public int ExitCode { get; set; }
    public string Output { get; set; } = "";
    public List<string> Commands { get; } = [];

    private FakeDockerEngine(WebApplication app, string path)
    {
        _app = app;
        SocketPath = path;
    }

    public static async Task<FakeDockerEngine> StartAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"consul-checks-docker-{Guid.NewGuid():N}.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.ListenUnixSocket(path));
        var app = builder.Build();
        var engine = new FakeDockerEngine(app, path);
        app.Run(engine.HandleAsync);
        await app.StartAsync();
        return engine;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (ctx.Request.Method == "POST" && path.EndsWith("/exec", StringComparison.Ordinal))
        {
            var container = path.Split('/')[^2];
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            lock (Commands) Commands.Add(body);
            if (container == "paused") { ctx.Response.StatusCode = 409; await ctx.Response.WriteAsync("{\"message\":\"container is paused\"}"); return; }
            if (container != "web") { ctx.Response.StatusCode = 404; await ctx.Response.WriteAsync("{\"message\":\"No such container: " + container + "\"}"); return; }
            ctx.Response.StatusCode = 201;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"Id\":\"e1\"}");
            return;
        }
        if (ctx.Request.Method == "POST" && path.EndsWith("/exec/e1/start", StringComparison.Ordinal))
        {
            var payload = Encoding.UTF8.GetBytes(Output);
            var frame = new byte[8 + payload.Length];
            frame[0] = 1; // stdout
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
            payload.CopyTo(frame, 8);
            var upgrade = ctx.Features.Get<IHttpUpgradeFeature>();
            if (upgrade is { IsUpgradableRequest: true })
            {
                await using var raw = await upgrade.UpgradeAsync();
                await raw.WriteAsync(frame);
                return;
            }
            ctx.Response.ContentType = "application/vnd.docker.raw-stream";
            await ctx.Response.Body.WriteAsync(frame);
            return;
        }
        if (ctx.Request.Method == "GET" && path.EndsWith("/exec/e1/json", StringComparison.Ordinal))
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync($"{{\"ID\":\"e1\",\"Running\":false,\"ExitCode\":{ExitCode}}}");
            return;
        }
        ctx.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
        File.Delete(SocketPath);
    }
}
