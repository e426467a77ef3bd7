using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.State;
using Consul.Ui;
using Consul.Ui.Acl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Ui;

/// <summary>
/// A tiny real host on 127.0.0.1 with an ephemeral port: the read models as singletons, the UI
/// mounted with AddConsulUi/MapConsulUi, and a root endpoint standing in for the agent's API.
/// </summary>
public sealed class UiTestHost : IAsyncDisposable
{
    private UiTestHost(WebApplication app, UiFixture fixture, Uri baseAddress)
    {
        App = app;
        Fixture = fixture;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public UiFixture Fixture { get; }
    public Uri BaseAddress { get; }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    /// <param name="checker">The ACL view to serve with (default: ACLs off).</param>
    public static async Task<UiTestHost> StartAsync(UiFixture? fixture = null, IUiTokenChecker? checker = null)
    {
        fixture ??= UiFixture.Sample();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The agent's own static web assets manifests (consul.staticwebassets.*.json), so this
            // host serves exactly the files the real agent would.
            ApplicationName = "consul",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production", // as the agent runs
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(fixture.Store);
        builder.Services.AddSingleton(fixture.Events);
        builder.Services.AddSingleton<IClusterView>(fixture.Cluster);
        builder.Services.AddSingleton<ICommandLog>(fixture.Log);
        builder.Services.AddSingleton(fixture.Local);
        builder.Services.AddSingleton(TimeProvider.System);
        if (checker is not null) builder.Services.AddSingleton(checker);
        builder.Services.AddConsulUi();

        var app = builder.Build();
        app.MapGet("/v1/status/leader", () => "\"127.0.0.2:8300\"");
        app.MapConsulUi();
        await app.StartAsync();
        var address = app.Urls.First();
        return new UiTestHost(app, fixture, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
