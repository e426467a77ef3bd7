using System.Security.Claims;
using System.Text.Json;
using Consul.Core.Events;
using Consul.Core.State;
using Consul.Ui.Acl;
using Consul.Ui.Hub;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

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
        var hub = new ClusterEventsHub(stream, new AllowAllTokenChecker(), new StateStore());
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

    [Fact(Timeout = 30_000)]
    public async Task Stream_sends_only_events_the_connections_token_may_see_in_replay_and_live()
    {
        var fixture = UiAcls.Limited()
            .Policy("p-pub", "public", "key_prefix \"pub/\" { policy = \"read\" }")
            .Token(Consul.Core.Acl.AclBuiltins.AnonymousTokenId, Consul.Core.Acl.AclBuiltins.AnonymousTokenSecret, "Anonymous Token", "p-pub");
        var limited = new ClaimsPrincipal(new ClaimsIdentity([new Claim(UiAuth.SecretClaim, UiAcls.LimitedSecret)], UiAuth.Scheme));
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());
        fixture.Events.Publish(new KVPut("top/secret", 1, 0));
        fixture.Events.Publish(new KVPut("app/replayed", 1, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var checker = UiAcls.Checker(fixture);
        var signedIn = new ClusterEventsHub(fixture.Events, checker, fixture.Store) { Context = new FakeCallerContext(limited) };
        var anon = new ClusterEventsHub(fixture.Events, checker, fixture.Store) { Context = new FakeCallerContext(anonymous) };

        await using var e = signedIn.Stream(1, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await e.MoveNextAsync());
        var replayed = e.Current.GetProperty("Key").GetString();
        fixture.Events.Publish(new KVPut("top/live", 1, 0));
        fixture.Events.Publish(new UserEventFired("deploy", "id", 0));
        fixture.Events.Publish(new KVPut("app/live", 1, 0));
        Assert.True(await e.MoveNextAsync());
        var live = e.Current.GetProperty("Key").GetString();

        // Without a login the connection gets the anonymous token's view (here: pub/ only).
        await using var a = anon.Stream(100, cts.Token).GetAsyncEnumerator(cts.Token);
        var anonymousFirst = a.MoveNextAsync().AsTask();
        fixture.Events.Publish(new KVPut("app/not-for-anonymous", 1, 0));
        fixture.Events.Publish(new KVPut("pub/news", 1, 0));
        Assert.True(await anonymousFirst);

        Assert.Equal("app/replayed", replayed);
        Assert.Equal("app/live", live);
        Assert.Equal("pub/news", a.Current.GetProperty("Key").GetString());
        await cts.CancelAsync();
    }

    private sealed class FakeCallerContext(ClaimsPrincipal user) : HubCallerContext
    {
        public override string ConnectionId => "test";
        public override string? UserIdentifier => null;
        public override ClaimsPrincipal? User => user;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() { }
    }
}
