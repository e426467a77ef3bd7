using System.Text.Json;
using Consul.Core.Events;
using Consul.Ui.Hub;

namespace Consul.Tests.Ui;

public sealed class EventsHubTests
{
    [Fact]
    public void Event_json_has_type_discriminator_pascal_case_fields_and_description()
    {
        var stream = new EventStream();
        var e = stream.Publish(new KVPut("app/config", 12, 0) { Index = 77 });

        var json = ClusterEventJson.ToElement(e);

        Assert.Equal("kv-put", json.GetProperty("Type").GetString());
        Assert.Equal("app/config", json.GetProperty("Key").GetString());
        Assert.Equal(12, json.GetProperty("Size").GetInt32());
        Assert.Equal(1, json.GetProperty("Sequence").GetInt64());
        Assert.Equal(77UL, json.GetProperty("Index").GetUInt64());
        Assert.Equal("kv put app/config (12 bytes)", json.GetProperty("Description").GetString());
        Assert.Equal(JsonValueKind.String, json.GetProperty("Time").ValueKind);
    }

    [Fact(Timeout = 30_000)]
    public async Task Stream_replays_recent_events_then_follows_live_without_duplicates()
    {
        var stream = new EventStream();
        for (var i = 0; i < 5; i++) stream.Publish(new KVPut($"k{i}", 1, 0));
        var hub = new ClusterEventsHub(stream);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var received = new List<JsonElement>();
        await using var e = hub.Stream(3, cts.Token).GetAsyncEnumerator(cts.Token);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await e.MoveNextAsync());
            received.Add(e.Current);
        }
        stream.Publish(new MemberFailed("node3", "127.0.0.4"));
        Assert.True(await e.MoveNextAsync());
        received.Add(e.Current);

        Assert.Equal([3L, 4L, 5L, 6L], received.Select(j => j.GetProperty("Sequence").GetInt64()));
        Assert.Equal("member-failed", received[^1].GetProperty("Type").GetString());
        Assert.Equal(1, stream.SubscriberCount);

        await cts.CancelAsync();
        await e.DisposeAsync();
        Assert.Equal(0, stream.SubscriberCount);
    }
}
