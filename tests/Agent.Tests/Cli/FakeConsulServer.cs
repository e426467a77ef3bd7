using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Cli;

/// <summary>A request the fake agent received.</summary>
public sealed record RecordedRequest(string Method, string Path, string RawTarget, string Query,
    IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>What the fake agent answers.</summary>
public sealed record FakeResponse(int Status, string Body, string ContentType = "application/json")
{
    public static FakeResponse Json(string body) => new(200, body);
    public static FakeResponse Text(int status, string body) => new(status, body, "text/plain");
}

/// <summary>
/// A minimal in-process Consul HTTP agent on 127.0.0.1 (ephemeral port): answers
/// "METHOD /path" routes with canned JSON and records every request.
/// </summary>
public sealed class FakeConsulServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, HttpResponse, Task<FakeResponse?>>> _routes = new();

    private FakeConsulServer(WebApplication app) => _app = app;

    public string Address { get; private set; } = "";
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public static async Task<FakeConsulServer> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? httpsCert = null,
        string? unixSocket = null, bool requireClientCert = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            if (unixSocket is not null)
            {
                o.ListenUnixSocket(unixSocket);
                return;
            }
            o.Listen(System.Net.IPAddress.Loopback, 0, l =>
            {
                if (httpsCert is null) return;
                l.UseHttps(h =>
                {
                    h.ServerCertificate = httpsCert;
                    if (!requireClientCert) return;
                    h.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                    // Any presented certificate will do; the test checks one is sent.
                    h.ClientCertificateValidation = (_, _, _) => true;
                });
            });
        });
        var app = builder.Build();
        var server = new FakeConsulServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        if (unixSocket is not null)
        {
            server.Address = "unix://" + unixSocket;
            return server;
        }
        var addr = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(addr).Authority;
        return server;
    }

    /// <summary>Answers "GET /v1/..." (path without query) with a fixed response.</summary>
    public FakeConsulServer On(string route, FakeResponse response) => On(route, _ => response);

    public FakeConsulServer On(string route, Func<RecordedRequest, FakeResponse> respond)
    {
        _routes[route] = (r, _) => Task.FromResult<FakeResponse?>(respond(r));
        return this;
    }

    /// <summary>Full control of the response, for streaming endpoints; return null when written.</summary>
    public FakeConsulServer OnRaw(string route, Func<RecordedRequest, HttpResponse, Task> write)
    {
        _routes[route] = async (r, resp) =>
        {
            await write(r, resp);
            return null;
        };
        return this;
    }

    public RecordedRequest Single(string method, string path) =>
        Assert.Single(Requests, r => r.Method == method && r.Path == path);

    private async Task HandleAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms);
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var rec = new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", raw,
            ctx.Request.QueryString.Value ?? "", headers, ms.ToArray());
        _requests.Enqueue(rec);

        if (!_routes.TryGetValue($"{rec.Method} {rec.Path}", out var route))
        {
            ctx.Response.StatusCode = 404;
            await ctx.Response.WriteAsync("fake agent: no route");
            return;
        }
        var response = await route(rec, ctx.Response);
        if (response is null) return;
        ctx.Response.StatusCode = response.Status;
        ctx.Response.ContentType = response.ContentType;
        await ctx.Response.WriteAsync(response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
