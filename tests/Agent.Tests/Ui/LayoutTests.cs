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

    private sealed class FailingPage : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("state store unavailable");
    }
}
