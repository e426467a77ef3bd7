using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.State;
using Consul.Ui;
using Consul.Ui.Acl;
using Consul.Ui.Live;
using Consul.Ui.Views;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace Consul.Tests.Ui;

/// <summary>
/// bUnit context with the UI's services over a <see cref="UiFixture"/>. Live updates use a short
/// render interval so tests see them quickly; pass a FakeTimeProvider to control it exactly.
/// </summary>
public abstract class UiTestContext : BunitContext, IAsyncLifetime
{
    private bool _disposedAsync;
    private bool _popoverProvider;

    protected UiTestContext(UiFixture? fixture = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Fixture = fixture ?? UiFixture.Sample(Time);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Fixture.Store);
        Services.AddSingleton(Fixture.Events);
        Services.AddSingleton<IClusterView>(Fixture.Cluster);
        Services.AddSingleton<ICommandLog>(Fixture.Log);
        Services.AddSingleton(Fixture.Local);
        Services.AddSingleton(Time);
        Services.AddSingleton(Options.Create(UiOptions));
        Services.AddSingleton(History);
        Services.AddSingleton<KvWriter>();
        Services.AddSingleton<IUiTokenChecker>(_ => TokenChecker);
        Services.AddScoped<UiSession>();
        // Anonymous until a test signs in: the principal UiSession reads, as the circuit's would be.
        Auth = AddAuthorization();
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Signs in as the UI's cookie would: a principal carrying the token's secret.</summary>
    protected void SignInWith(string secret, string accessor = "", string description = "")
    {
        Auth.SetAuthorized(accessor.Length > 0 ? accessor : "token");
        Auth.SetClaims(
            new Claim(UiAuth.SecretClaim, secret),
            new Claim(UiAuth.AccessorClaim, accessor),
            new Claim(UiAuth.DescriptionClaim, description));
    }

    protected UiFixture Fixture { get; }
    protected TimeProvider Time { get; }
    protected ConsulUiOptions UiOptions { get; } = new() { RenderInterval = TimeSpan.FromMilliseconds(20), RefreshInterval = TimeSpan.FromMilliseconds(200) };
    protected MetricsHistory History { get; } = new(60);
    protected IUiTokenChecker TokenChecker { get; set; } = new AllowAllTokenChecker();

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are async-disposable only; xunit calls this before Dispose().
    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        _disposedAsync = true;
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposedAsync) base.Dispose(disposing);
    }

    /// <summary>Renders a page with the popover provider MudBlazor's inputs expect.</summary>
    protected IRenderedComponent<T> RenderPage<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        if (!_popoverProvider)
        {
            Render<MudPopoverProvider>();
            _popoverProvider = true;
        }
        return parameters is null ? Render<T>() : Render<T>(parameters);
    }

    /// <summary>Waits until the page's live subscription exists (it starts after the first render).</summary>
    protected void WaitForSubscription(int count = 1)
    {
        Assert.True(SpinWait.SpinUntil(() => Fixture.Events.SubscriberCount >= count, TimeSpan.FromSeconds(10)),
            "live subscription did not start");
    }
}
