using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Http;

/// <summary>
/// One in-process agent (dev server, in-memory log) behind a TestServer, with helpers for
/// Consul-style requests. Every test starts its own host so indexes and state are its own.
/// </summary>
public sealed class AgentTestHost : IAsyncDisposable
{
    public const string NodeName = "test-node";

    private AgentTestHost(WebApplication app, AgentConfig config)
    {
        App = app;
        Config = config;
        Client = app.GetTestClient();
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public WebApplication App { get; }
    public AgentConfig Config { get; }
    public HttpClient Client { get; }

    public static AgentConfig DefaultConfig(bool dev = true) => new()
    {
        Dev = dev,
        Server = true,
        Bootstrap = true,
        NodeName = NodeName,
        Datacenter = "dc1",
        LogLevel = "error",
        NodeId = "8a3e2f4b-1c2d-4e5f-9a8b-7c6d5e4f3a2b",
        // In-process hosts serve HTTP through the TestServer; DNS has its own tests.
        Ports = new PortsConfig { Dns = -1 },
    };

    public static async Task<AgentTestHost> StartAsync(AgentConfig? config = null)
    {
        config ??= DefaultConfig();
        var app = AgentHost.Build(config, b => b.WebHost.UseTestServer());
        await app.StartAsync();
        return new AgentTestHost(app, config);
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(cts.Token);
        await App.DisposeAsync();
    }

    // ---- requests ----

    public Task<HttpResponseMessage> Get(string url) => Client.GetAsync(url);

    public Task<HttpResponseMessage> Put(string url, string? body = null, string contentType = "application/json") =>
        Client.PutAsync(url, body is null ? null : new StringContent(body, Encoding.UTF8, contentType));

    public Task<HttpResponseMessage> PutBytes(string url, byte[] body) => Client.PutAsync(url, new ByteArrayContent(body));

    public Task<HttpResponseMessage> Delete(string url) => Client.DeleteAsync(url);

    public Task<HttpResponseMessage> Send(HttpMethod method, string url, string? body = null)
    {
        var req = new HttpRequestMessage(method, url);
        if (body is not null) req.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return Client.SendAsync(req);
    }

    /// <summary>PUT that must succeed; returns the body without the newline dev mode's pretty JSON ends with.</summary>
    public async Task<string> PutOk(string url, string? body = null)
    {
        var r = await Put(url, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"PUT {url} -> {(int)r.StatusCode}: {text}");
        return text.TrimEnd('\n');
    }

    /// <summary>Body text without the trailing newline of pretty JSON.</summary>
    public static async Task<string> Body(HttpResponseMessage r) => (await r.Content.ReadAsStringAsync()).TrimEnd('\n');

    /// <summary>GET that must succeed; returns the parsed JSON body.</summary>
    public async Task<JsonNode?> GetJson(string url)
    {
        var r = await Get(url);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"GET {url} -> {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text);
    }

    public static async Task<JsonNode?> Json(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync());

    public static ulong IndexOf(HttpResponseMessage r) =>
        ulong.Parse(r.Headers.GetValues("X-Consul-Index").Single());

    public static string? Header(HttpResponseMessage r, string name) =>
        r.Headers.TryGetValues(name, out var v) ? v.Single() :
        r.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c) : null;

    public static async Task AssertError(HttpResponseMessage r, int status, string message)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status} '{message}', got {(int)r.StatusCode}: {body}");
        Assert.Equal(message, body);
    }

    public static async Task AssertErrorStartsWith(HttpResponseMessage r, int status, string prefix)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status} '{prefix}…', got {(int)r.StatusCode}: {body}");
        Assert.StartsWith(prefix, body);
    }

    /// <summary>Polls until the condition holds; fails with the description after the deadline.</summary>
    public static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out after {timeout.TotalSeconds}s waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Property names of a JSON object, in order.</summary>
    public static List<string> Keys(JsonNode? node) => node!.AsObject().Select(p => p.Key).ToList();

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage r) => r.Content.Headers.ContentType;
}

/// <summary>One agent shared by the tests of a class that leave no state behind (xunit class fixture).</summary>
public sealed class SharedAgentHost : IAsyncLifetime
{
    public AgentTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await AgentTestHost.StartAsync();

    public Task DisposeAsync() => Host.DisposeAsync().AsTask();
}
