using System.Runtime.CompilerServices;
using System.Text.Json;
using Consul.Core.Events;
using Consul.Core.State;
using Consul.Ui.Acl;
using Consul.Ui.Views;
using Microsoft.AspNetCore.SignalR;

namespace Consul.Ui.Hub;

/// <summary>
/// Public SignalR hub at {ui base}/hub/events for other dashboards. A client calls the
/// streaming method <c>Stream(replay)</c> and receives <see cref="ClusterEventJson"/> objects:
/// first up to <c>replay</c> recent events (oldest first), then every new event as it is
/// published, without gaps or duplicates between the two. Example (JavaScript client):
/// <code>
/// const c = new signalR.HubConnectionBuilder().withUrl("/ui/hub/events").build();
/// await c.start();
/// c.stream("Stream", 50).subscribe({ next: e => console.log(e.Type, e.Description) });
/// </code>
/// A client that reads too slowly loses its oldest undelivered events (the stream never
/// blocks the agent); the Sequence numbers show the gap.
/// With ACLs enabled a connection sees only events about what its token may read (the same
/// rules as the pages): the token of the UI's login cookie, else an X-Consul-Token header on
/// the connection's request, else the anonymous token. Replay counts events sent, not skipped.
/// </summary>
public sealed class ClusterEventsHub(EventStream events, IUiTokenChecker checker, StateStore store) : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hub/events";
    public const int MaxReplay = 1000;
    public const string TokenHeader = "X-Consul-Token";

    public async IAsyncEnumerable<JsonElement> Stream(int replay, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var secret = ConnectionToken();
        // Subscribe before reading the ring so nothing published in between is missed.
        using var subscription = events.Subscribe();
        long lastSent = 0;
        var recent = events.Recent(MaxReplay);
        var permitted = AclVisibility.Filter(checker.AuthorizerFor(secret), store.Current, recent);
        foreach (var e in permitted.Skip(Math.Max(0, permitted.Count - Math.Clamp(replay, 0, MaxReplay))))
        {
            lastSent = e.Sequence;
            yield return ClusterEventJson.ToElement(e);
        }
        if (recent.Count > 0) lastSent = Math.Max(lastSent, recent[^1].Sequence);
        await foreach (var e in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (e.Sequence <= lastSent) continue;
            lastSent = e.Sequence;
            // Resolved per event: a token deleted or a policy changed takes effect at once.
            if (!AclVisibility.CanSee(checker.AuthorizerFor(secret), store.Current, e)) continue;
            yield return ClusterEventJson.ToElement(e);
        }
    }

    // The connection's HttpContext passed the UI's authentication middleware, so its user is
    // the cookie's principal. Context is absent when the hub is used directly (tests).
    private string? ConnectionToken()
    {
        if (Context is null) return null;
        if (UiAuth.SecretOf(Context.User) is { } fromCookie) return fromCookie;
        var header = Context.GetHttpContext()?.Request.Headers[TokenHeader].ToString();
        return string.IsNullOrEmpty(header) ? null : header;
    }
}
