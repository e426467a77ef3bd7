using System.Collections.Concurrent;

namespace Consul.Core.Dns;

/// <summary>
/// Remote lookups fetched recently, reused for up to maxAge (dns_config.use_cache with
/// cache_max_age; zero keeps nothing). Keyed by the lookup and the DNS token's permissions;
/// failures are not kept. Questions that arrive while the same lookup is being fetched wait
/// for that fetch instead of starting their own.
/// </summary>
public sealed class RemoteViewCache(TimeProvider time, TimeSpan maxAge, int capacity = 1024)
{
    private readonly ConcurrentDictionary<(RemoteLookup, object), (RemoteView View, long Created)> _entries = new();
    private readonly ConcurrentDictionary<(RemoteLookup, object), Lazy<Task<RemoteView>>> _inFlight = new();

    public Task<RemoteView> GetOrFetchAsync(RemoteLookup lookup, object scope, Func<Task<RemoteView>> fetch)
    {
        var key = (lookup, scope);
        if (_entries.TryGetValue(key, out var hit) && time.GetElapsedTime(hit.Created) < maxAge) return Task.FromResult(hit.View);
        // Lazy: GetOrAdd may build a value it then throws away, which must not start a fetch.
        return _inFlight.GetOrAdd(key, k => new Lazy<Task<RemoteView>>(() => FetchAsync(k, fetch))).Value;
    }

    private async Task<RemoteView> FetchAsync((RemoteLookup, object) key, Func<Task<RemoteView>> fetch)
    {
        try
        {
            var view = await fetch();
            if (view.Failed || maxAge <= TimeSpan.Zero) return view;
            if (_entries.Count >= capacity) _entries.Clear();
            _entries[key] = (view, time.GetTimestamp());
            return view;
        }
        finally
        {
            _inFlight.TryRemove(key, out _);
        }
    }
}
