using Consul.Ui.Acl;
using Consul.Ui.Components;
using Consul.Ui.Hub;
using Consul.Ui.Live;
using Consul.Ui.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.StaticWebAssets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Consul.Ui;

/// <summary>Registers and mounts the web UI on the agent's HTTP listener.</summary>
public static class ConsulUiExtensions
{
    /// <summary>
    /// Razor components with interactive server rendering, MudBlazor, the events hub and the
    /// UI's own services. The host registers StateStore, EventStream, IClusterView, ICommandLog,
    /// LocalState and TimeProvider itself. An ACL-aware <see cref="IUiTokenChecker"/> registered
    /// by the host before this call replaces the allow-all default. Login is a cookie sign-in
    /// (scheme <see cref="UiAuth.Scheme"/>) whose encrypted ticket carries the ACL token.
    /// </summary>
    public static IServiceCollection AddConsulUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddSignalR();
        services.AddMudServices();
        services.AddOptions<ConsulUiOptions>();
        services.TryAddSingleton<IUiTokenChecker, AllowAllTokenChecker>();
        services.AddScoped<UiSession>();
        services.AddConsulUiAuthentication();
        services.TryAddSingleton(sp => new MetricsHistory(sp.GetRequiredService<IOptions<ConsulUiOptions>>().Value.SampleCapacity));
        services.TryAddSingleton<KvWriter>();
        services.AddHostedService<MetricsSampler>();
        return services;
    }

    /// <summary>
    /// Mounts the UI under <paramref name="basePath"/>: pages, the Blazor circuit endpoint,
    /// static web assets (blazor.web.js, _content/MudBlazor/...) and the hub at
    /// {basePath}/hub/events. The UI runs in its own branch with its own endpoint routing, so
    /// PathBase is {basePath} (the page router and &lt;base href&gt; see it) and none of its
    /// routes leak onto the host's root.
    /// </summary>
    public static WebApplication MapConsulUi(this WebApplication app, string basePath = "/ui")
    {
        basePath = "/" + basePath.Trim('/');
        // Run from build output (not published), MudBlazor's and this library's files live in
        // their packages/projects; the runtime manifest maps them. Development hosts do this
        // already; the agent runs as Production. Published output has no manifest: no-op.
        if (!app.Environment.IsDevelopment())
            StaticWebAssetsLoader.UseStaticWebAssets(app.Environment, app.Configuration);
        // A fresh builder, not app.Map's child: a child inherits WebApplication's global route
        // builder and would register "/" and "/services" on the host's root.
        var ui = new ApplicationBuilder(app.Services, ((IApplicationBuilder)app).ServerFeatures);
        // Unknown pages get the UI's own "not found" page (with a 404), like the .NET template.
        ui.UseStatusCodePagesWithReExecute("/not-found");
        ui.UseRouting();
        // The cookie's principal becomes HttpContext.User for pages, the circuit and the hub.
        ui.UseAuthentication();
        ui.UseAntiforgery();
        ui.UseEndpoints(endpoints =>
        {
            endpoints.MapStaticAssets();
            endpoints.MapRazorComponents<App>().AddInteractiveServerRenderMode();
            endpoints.MapHub<ClusterEventsHub>(ClusterEventsHub.Path);
            endpoints.MapConsulUiLogout();
        });
        var pipeline = ui.Build();
        app.Map(basePath, branch => branch.Run(pipeline));
        return app;
    }
}
