using System.Text;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Ui.Live;
using Consul.Ui.Views;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Ui;

public sealed class UiLogicTests
{
    [Theory]
    [InlineData("a/b/c", "a/b/")]
    [InlineData("a/b/", "a/")]
    [InlineData("top", "")]
    [InlineData("a/", "")]
    public void Kv_parent_folder(string path, string parent) => Assert.Equal(parent, KvFolder.Parent(path));

    [Fact]
    public void Kv_ancestors_walk_from_the_root()
    {
        Assert.Equal(["", "a/", "a/b/"], KvFolder.Ancestors("a/b/c"));
        Assert.Equal(["", "a/", "a/b/"], KvFolder.Ancestors("a/b/"));
        Assert.Equal([""], KvFolder.Ancestors(""));
    }

    [Fact]
    public void Kv_links_escape_segments_but_keep_slashes() =>
        Assert.Equal("kv/a%20b/c%3Fd", Links.Kv("a b/c?d"));

    [Fact]
    public void Kv_value_views_round_trip_and_reject_bad_input()
    {
        var json = Encoding.UTF8.GetBytes("{\"a\":[1,2]}");
        Assert.Equal(KvViewMode.Json, KvValueFormat.Suggest(json));
        Assert.Equal(KvViewMode.Text, KvValueFormat.Suggest(Encoding.UTF8.GetBytes("plain")));
        Assert.Equal(KvViewMode.Base64, KvValueFormat.Suggest([0xff, 0xfe, 0x00]));

        Assert.True(KvValueFormat.TryParse(KvValueFormat.Show([0xff, 0x01], KvViewMode.Base64), KvViewMode.Base64, out var bytes, out _));
        Assert.Equal([0xff, 0x01], bytes);
        Assert.False(KvValueFormat.TryParse("{not json", KvViewMode.Json, out _, out var error));
        Assert.StartsWith("Not valid JSON", error);
        Assert.False(KvValueFormat.TryParse("%%%", KvViewMode.Base64, out _, out _));
    }

    [Fact]
    public void Health_counts_treat_maintenance_as_critical()
    {
        var counts = HealthCounts.Of([HealthStatus.Passing, HealthStatus.Warning, HealthStatus.Maintenance, HealthStatus.Critical]);
        Assert.Equal(new HealthCounts(1, 1, 2), counts);
    }

    [Fact]
    public void Metrics_history_derives_rates_and_stays_bounded()
    {
        var history = new MetricsHistory(3);
        var t = DateTimeOffset.UnixEpoch;
        history.Record(t, 100, 0, 3, 0);
        history.Record(t.AddSeconds(5), 150, 2, 3, 0);
        history.Record(t.AddSeconds(10), 140, 2, 2, 1); // index went back (restore): no negative rate
        history.Record(t.AddSeconds(15), 160, 3, 2, 1);

        var s = history.Samples();
        Assert.Equal(3, s.Count);
        Assert.Equal(10.0, s[0].CommitsPerSecond);
        Assert.Equal(2, s[0].LeaderChanges);
        Assert.Equal(0.0, s[1].CommitsPerSecond);
        Assert.Equal(4.0, s[2].CommitsPerSecond);
        Assert.Equal(1, s[2].LeaderChanges);
        Assert.Equal(1, s[2].MembersFailed);
    }

    [Fact(Timeout = 30_000)]
    public async Task Live_updates_coalesce_a_burst_into_one_batch_per_window()
    {
        var clock = new FakeTimeProvider();
        var stream = new EventStream(clock);
        var batches = new List<int>();
        var gate = new object();
        using var live = new LiveUpdates(stream, clock, TimeSpan.FromMilliseconds(200), null, b =>
        {
            lock (gate) batches.Add(b.Count);
            return Task.CompletedTask;
        });

        stream.Publish(new KVPut("first", 1, 0));
        Assert.True(SpinWait.SpinUntil(() => { lock (gate) return batches.Count == 1; }, TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 1000; i++) stream.Publish(new KVPut($"k{i}", 1, 0));
        lock (gate) Assert.Single(batches); // still inside the window

        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(SpinWait.SpinUntil(() => { lock (gate) return batches.Count == 2; }, TimeSpan.FromSeconds(10)));
        lock (gate) Assert.Equal([1, 1000], batches);

        live.Dispose();
        await live.Loop;
        Assert.Equal(0, stream.SubscriberCount);
    }

    [Fact(Timeout = 30_000)]
    public async Task Live_updates_hand_over_only_permitted_events_and_skip_batches_left_empty()
    {
        var clock = new FakeTimeProvider();
        var stream = new EventStream(clock);
        var batches = new List<List<string>>();
        var gate = new object();
        using var live = new LiveUpdates(stream, clock, TimeSpan.FromMilliseconds(200), null, b =>
        {
            lock (gate) batches.Add(b.Select(e => ((KVPut)e).Key).ToList());
            return Task.CompletedTask;
        }, filter: b => b.Where(e => e is KVPut k && k.Key.StartsWith("app/", StringComparison.Ordinal)).ToList());

        stream.Publish(new KVPut("secret/a", 1, 0));
        stream.Publish(new KVPut("app/a", 1, 0));
        Assert.True(SpinWait.SpinUntil(() => { lock (gate) return batches.Count >= 1; }, TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromMilliseconds(200));
        // A batch of hidden events only: no hand-over at all (no re-render reveals activity).
        stream.Publish(new KVPut("secret/b", 1, 0));
        stream.Publish(new KVPut("app/b", 1, 0));
        Assert.True(SpinWait.SpinUntil(() => { lock (gate) return batches.Count >= 2; }, TimeSpan.FromSeconds(10)));

        lock (gate) Assert.All(batches, b => Assert.NotEmpty(b));
        lock (gate) Assert.Equal(["app/a", "app/b"], batches.SelectMany(b => b));
        live.Dispose();
        await live.Loop;
    }
}
