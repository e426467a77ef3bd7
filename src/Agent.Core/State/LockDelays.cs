using System.Collections.Concurrent;

namespace Consul.Core.State;

/// <summary>
/// Keys that may not be re-acquired yet after their session was invalidated (lock-delay).
/// Like Consul's, this lives beside the replicated state, not in it: each server starts the
/// delay when it applies the invalidation.
/// </summary>
public sealed class LockDelays(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);

    public void Start(string key, TimeSpan delay)
    {
        var until = time.GetUtcNow() + delay;
        _until.AddOrUpdate(key, until, (_, old) => until > old ? until : old);
    }

    /// <summary>Forgets every delay: after a snapshot restore the keys they guarded may be gone or reused.</summary>
    public void Clear() => _until.Clear();

    /// <summary>When the key's lock-delay ends, or null when acquiring is allowed now.</summary>
    public DateTimeOffset? DelayedUntil(string key)
    {
        if (!_until.TryGetValue(key, out var until)) return null;
        if (until > time.GetUtcNow()) return until;
        _until.TryRemove(KeyValuePair.Create(key, until));
        return null;
    }
}
