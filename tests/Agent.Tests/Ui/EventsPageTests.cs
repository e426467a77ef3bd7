using Bunit;
using Consul.Core.Events;
using Consul.Ui.Pages;

namespace Consul.Tests.Ui;

public sealed class EventsPageTests : UiTestContext
{
    private static List<string> Rows(IRenderedComponent<Events> cut) =>
        cut.FindAll(".event-row").Select(r => r.TextContent).ToList();

    [Fact]
    public void Shows_the_recent_stream_newest_first()
    {
        var cut = RenderPage<Events>();

        var rows = Rows(cut);
        Assert.Equal(Fixture.Events.Recent().Count, rows.Count);
        Assert.Contains("kv put top", rows[0]);
        Assert.Contains("node node1 (127.0.0.2) registered", rows[^1]);
    }

    [Fact]
    public void New_events_arrive_live()
    {
        var cut = RenderPage<Events>();
        WaitForSubscription();

        Fixture.Events.Publish(new MemberFailed("node3", "127.0.0.4"));

        cut.WaitForAssertion(() => Assert.Contains("member node3 failed", Rows(cut)[0]));
    }

    [Fact]
    public void Group_and_text_filters()
    {
        var cut = RenderPage<Events>();

        cut.ClickOn("#group-kv");
        Assert.All(Rows(cut), r => Assert.Contains("kv-put", r));
        Assert.Equal(4, Rows(cut).Count);

        cut.Type(".event-filter input", "feature");
        Assert.Single(Rows(cut));

        cut.ClickOn("#group-all");
        cut.Type(".event-filter input", "check-status");
        Assert.Equal(7, Rows(cut).Count); // 3 serfHealth + 4 service checks
    }

    [Fact]
    public void Pause_holds_events_back_until_resumed()
    {
        var cut = RenderPage<Events>();
        WaitForSubscription();
        var before = Rows(cut).Count;

        cut.ClickOn("#pause");
        Fixture.Events.Publish(new UserEventFired("deploy", "e1", 10));
        cut.WaitForAssertion(() => Assert.Contains("1 new event held back", cut.Find(".paused-note").TextContent));
        Assert.Equal(before, Rows(cut).Count);

        cut.ClickOn("#pause");
        Assert.Equal(before + 1, Rows(cut).Count);
        Assert.Contains("user event deploy fired", Rows(cut)[0]);
    }

    [Fact]
    public void Clear_empties_the_feed_with_an_explanation()
    {
        var cut = RenderPage<Events>();

        cut.ClickOn("#clear");

        Assert.Empty(Rows(cut));
        Assert.Contains("No events yet", cut.Markup);
    }
}
