using Bunit;
using Consul.Ui.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Consul.Tests.Ui;

public sealed class LayoutTests : UiTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout(RenderFragment body) =>
        Render<MainLayout>(p => p.Add(x => x.Body, body));

    [Fact]
    public void Shows_navigation_and_the_datacenter()
    {
        var cut = RenderLayout(b => b.AddContent(0, "page body"));

        Assert.Contains("page body", cut.Markup);
        Assert.Contains("dc1", cut.Find(".dc-chip").TextContent);
        var links = cut.FindAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("services", links);
        Assert.Contains("kv", links);
        Assert.Contains("events", links);
    }

#pragma warning disable MUD0012 // a test may read the provider's parameter to see the toggle took effect
    [Fact]
    public void Theme_toggle_switches_dark_mode()
    {
        var cut = RenderLayout(b => b.AddContent(0, "x"));
        Assert.False(cut.FindComponent<MudThemeProvider>().Instance.IsDarkMode);

        cut.ClickOn("#theme-toggle");

        cut.WaitForAssertion(() => Assert.True(cut.FindComponent<MudThemeProvider>().Instance.IsDarkMode));
    }

    [Fact]
    public void A_failing_page_shows_a_readable_error_instead_of_breaking_the_app()
    {
        var cut = RenderLayout(b =>
        {
            b.OpenComponent<FailingPage>(0);
            b.CloseComponent();
        });

        var alert = cut.Find(".error-boundary");
        Assert.Contains("This page failed to display.", alert.TextContent);
        Assert.Contains("state store unavailable", alert.TextContent);
        Assert.NotEmpty(cut.FindAll("a[href='services']")); // navigation still there
    }

    [Fact]
    public void A_live_page_failing_on_an_update_shows_the_error_too()
    {
        var explode = false;
        var cut = RenderLayout(b =>
        {
            b.OpenComponent<ExplodingLivePage>(0);
            b.AddComponentParameter(1, nameof(ExplodingLivePage.Explode), (Func<bool>)(() => explode));
            b.CloseComponent();
        });
        Assert.Contains("live page", cut.Markup);
        WaitForSubscription();

        explode = true;
        Fixture.Events.Publish(new Consul.Core.Events.UserEventFired("deploy", "1", 0));

        cut.WaitForAssertion(() => Assert.Contains("snapshot read failed", cut.Find(".error-boundary").TextContent));
    }

    private sealed class ExplodingLivePage : Consul.Ui.Live.LivePage
    {
        [Parameter] public Func<bool> Explode { get; set; } = () => false;

        protected override void Refresh()
        {
            if (Explode()) throw new InvalidOperationException("snapshot read failed");
        }

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder) =>
            builder.AddContent(0, "live page");
    }

    private sealed class FailingPage : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("state store unavailable");
    }
}
