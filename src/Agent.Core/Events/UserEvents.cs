using System.Globalization;
using System.Text.RegularExpressions;

namespace Consul.Core.Events;

/// <summary>A user event as /v1/event/fire and /v1/event/list show it (Consul's UserEvent).</summary>
public sealed record UserEvent
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public byte[]? Payload { get; init; }
    public string NodeFilter { get; init; } = "";
    public string ServiceFilter { get; init; } = "";
    public string TagFilter { get; init; } = "";
    public int Version { get; init; } = 1;
    public ulong LTime { get; init; }
}

/// <summary>
/// The user events this agent has received, newest last, capped like Consul's (256). Events
/// whose node/service/tag filters do not match this agent are not kept. Waiters wake on
/// each new event; the list's index is derived from the last event's ID, as Consul does.
/// </summary>
public sealed class UserEventStore(EventStream stream, int capacity = 256)
{
    /// <summary>Serf's limit on a user event's name plus payload.</summary>
    public const int SizeLimit = 512;

    private readonly object _gate = new();
    private readonly LinkedList<UserEvent> _events = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong _ltime;

    public ulong NextLTime() { lock (_gate) return ++_ltime; }

    /// <summary>Keeps the event if this agent matches its filters; returns whether it was kept.</summary>
    public bool Receive(UserEvent e, string nodeName, IEnumerable<(string Service, IReadOnlyList<string> Tags)> localServices)
    {
        if (!Matches(e, nodeName, localServices)) return false;
        TaskCompletionSource fire;
        lock (_gate)
        {
            _ltime = Math.Max(_ltime, e.LTime);
            _events.AddLast(e);
            while (_events.Count > capacity) _events.RemoveFirst();
            fire = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        fire.TrySetResult();
        stream.Publish(new UserEventFired(e.Name, e.ID, e.Payload?.Length ?? 0));
        return true;
    }

    public (IReadOnlyList<UserEvent> Events, Task Changed) Snapshot()
    {
        lock (_gate) return (_events.ToList(), _changed.Task);
    }

    private static bool Matches(UserEvent e, string nodeName, IEnumerable<(string Service, IReadOnlyList<string> Tags)> services)
    {
        if (e.NodeFilter != "" && !Regex.IsMatch(nodeName, e.NodeFilter)) return false;
        if (e.ServiceFilter == "") return true;
        return services.Any(s => Regex.IsMatch(s.Service, e.ServiceFilter) &&
                                 (e.TagFilter == "" || s.Tags.Any(t => Regex.IsMatch(t, e.TagFilter))));
    }

    /// <summary>Consul's uuidToUint64: the XOR of the UUID's two halves, used as the list index.</summary>
    public static ulong IndexOf(string uuid)
    {
        if (uuid.Length < 36) return 1;
        var lower = uuid[..8] + uuid[9..13] + uuid[14..18];
        var upper = uuid[19..23] + uuid[24..36];
        return ulong.Parse(lower, NumberStyles.HexNumber, CultureInfo.InvariantCulture) ^
               ulong.Parse(upper, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
