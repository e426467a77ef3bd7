using System.Collections.Concurrent;

namespace Consul.Core.Dns;

/// <summary>
/// Remote lookups fetched recently, reused for a short while (dns_config has no such cache in
/// Consul; this keeps a burst of identical questions from each crossing the WAN). Keyed by the
/// lookup and the DNS token's permissions; failures are not kept.
/// </summary>
public sealed class RemoteViewCache(TimeProvider time, TimeSpan maxAge, int capacity = 1024)
{
    private readonly ConcurrentDictionary<(RemoteLookup, object), (RemoteView View, long Created)> _entries = new();

    public async Task<RemoteView> GetOrFetchAsync(RemoteLookup lookup, object scope, Func<Task<RemoteView>> fetch)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue((lookup, scope), out var hit) && time.GetElapsedTime(hit.Created, now) < maxAge) return hit.View;
        var view = await fetch();
        if (view.Failed || maxAge <= TimeSpan.Zero) return view;
        if (_entries.Count >= capacity) _entries.Clear();
        _entries[(lookup, scope)] = (view, now);
        return view;
    }
}
