using System.Runtime.CompilerServices;
using System.Text.Json;
using Consul.Core.Events;
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
/// </summary>
public sealed class ClusterEventsHub(EventStream events) : Microsoft.AspNetCore.SignalR.Hub
{
    public const string Path = "/hub/events";
    public const int MaxReplay = 1000;

    public async IAsyncEnumerable<JsonElement> Stream(int replay, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading the ring so nothing published in between is missed.
        using var subscription = events.Subscribe();
        long lastSent = 0;
        foreach (var e in events.Recent(Math.Clamp(replay, 0, MaxReplay)))
        {
            lastSent = e.Sequence;
            yield return ClusterEventJson.ToElement(e);
        }
        await foreach (var e in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            if (e.Sequence <= lastSent) continue;
            lastSent = e.Sequence;
            yield return ClusterEventJson.ToElement(e);
        }
    }
}
