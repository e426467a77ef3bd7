using System.Text;
using Bunit;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.State;
using Consul.Ui.Pages;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Ui;

public sealed class DashboardTests : UiTestContext
{
    [Fact]
    public void Shows_datacenter_leader_peers_members_and_service_health()
    {
        var cut = RenderPage<Dashboard>();

        Assert.Contains("dc1", cut.Find("#card-datacenter").TextContent);
        var leader = cut.Find("#card-leader").TextContent;
        Assert.Contains("node1", leader);
        Assert.Contains("term 3", leader);

        var rows = cut.FindAll(".raft-peers tbody tr");
        Assert.Equal(3, rows.Count);
        Assert.Contains("leader", rows[0].TextContent);
        Assert.Contains("12 ms", rows[1].TextContent);
        Assert.EndsWith("2", rows[1].TextContent.Trim()); // 120 committed, node2 matched 118
        Assert.Contains("non-voter", rows[2].TextContent);
        Assert.Contains("100", rows[2].TextContent);

        var members = cut.Find("#card-members").TextContent;
        Assert.Contains("3 alive", members);
        Assert.Contains("1 failed", members);
        Assert.Contains("3 servers · 1 clients", members);

        // web has a critical instance, redis a warning one, db is fine.
        var services = cut.Find("#card-services").TextContent;
        Assert.Contains("1 passing", services);
        Assert.Contains("1 warning", services);
        Assert.Contains("1 critical", services);
        Assert.Contains("4 instances on 3 nodes", services);
    }

    [Fact]
    public void Timeline_starts_with_recent_events_newest_first()
    {
        var cut = RenderPage<Dashboard>();

        var rows = cut.FindAll(".event-row");
        Assert.NotEmpty(rows);
        Assert.Contains("kv put top", rows[0].TextContent);
    }

    [Fact]
    public void New_leader_and_failed_member_show_up_live()
    {
        var cut = RenderPage<Dashboard>();
        WaitForSubscription();

        Fixture.Cluster.Status = Fixture.Cluster.Status with
        {
            Term = 4, LeaderId = "id-2", LeaderAddress = "127.0.0.3:8300",
            Servers = [.. Fixture.Cluster.Status.Servers.Select(s => s with { Leader = s.ID == "id-2" })],
        };
        Fixture.Cluster.Lan[0] = Fixture.Cluster.Lan[0] with { Status = MemberInfo.StatusFailed };
        Fixture.Events.Publish(new MemberFailed("node1", "127.0.0.2"));
        Fixture.Events.Publish(new LeaderElected("node2", "127.0.0.3:8300", 4));

        cut.WaitForAssertion(() =>
        {
            var leader = cut.Find("#card-leader").TextContent;
            Assert.Contains("node2", leader);
            Assert.Contains("term 4", leader);
            Assert.Contains("2 failed", cut.Find("#card-members").TextContent);
            Assert.Contains("node2 elected leader (term 4)", cut.FindAll(".event-row")[0].TextContent);
        });
    }

    [Fact]
    public void Other_datacenters_are_listed_when_known()
    {
        Fixture.Cluster.Dcs = ["dc1", "dc2"];
        var cut = RenderPage<Dashboard>();

        Assert.Contains("WAN: dc1, dc2", cut.Find(".wan-dcs").TextContent);
    }

    [Fact]
    public void No_leader_is_stated_plainly()
    {
        Fixture.Cluster.Status = new RaftStatus { State = "Candidate", Term = 9 };
        var cut = RenderPage<Dashboard>();

        Assert.Contains("No leader", cut.Find("#card-leader").TextContent);
    }

    [Fact]
    public void Charts_appear_once_samples_exist()
    {
        var cut = RenderPage<Dashboard>();
        Assert.Contains("Collecting samples", cut.Markup);
        var svgBefore = cut.FindAll("svg").Count;

        var t0 = DateTimeOffset.UnixEpoch;
        History.Record(t0, 100, 0, 3, 1);
        History.Record(t0.AddSeconds(5), 150, 1, 3, 1);
        cut.Render();

        Assert.DoesNotContain("Collecting samples", cut.Markup);
        Assert.True(cut.FindAll("svg").Count >= svgBefore + 3, "three charts are drawn");
        Assert.Contains("Commits / s", cut.Markup);
    }
}

/// <summary>Coalescing and disposal, with a fake clock so the render window is exact.</summary>
public sealed class DashboardLiveTests() : UiTestContext(time: new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20000)))
{
    private FakeTimeProvider Clock => (FakeTimeProvider)Time;

    [Fact]
    public void A_thousand_events_cause_at_most_two_renders_per_window()
    {
        var cut = RenderPage<Dashboard>();
        WaitForSubscription();
        var before = Fixture.Store.Current.KV.Count;

        for (var i = 0; i < 1000; i++)
            Fixture.Apply(new KVCommand { Verb = KVOps.Set, Key = $"burst/{i}", Value = Encoding.UTF8.GetBytes("x") });

        cut.WaitForState(() => cut.Instance.LiveRenders >= 1);
        // The loop now waits out the render window on the fake clock: no more renders.
        Assert.Equal(1, cut.Instance.LiveRenders);

        Clock.Advance(UiOptions.RenderInterval);
        cut.WaitForAssertion(() => Assert.Contains($"{before + 1000} keys", cut.Find("#card-services").TextContent));
        Assert.InRange(cut.Instance.LiveRenders, 1, 2);
    }

    [Fact(Timeout = 30_000)]
    public async Task Subscription_ends_when_the_page_is_disposed()
    {
        RenderPage<Dashboard>();
        WaitForSubscription();

        await DisposeComponentsAsync();

        Assert.Equal(0, Fixture.Events.SubscriberCount);
    }
}
