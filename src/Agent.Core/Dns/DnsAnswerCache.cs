using System.Collections.Concurrent;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>
/// Resolved answers keyed by (name as asked, type), valid for one catalog index and one set of
/// permissions: the first lookup after a change of <see cref="DnsQueryHandler.CatalogIndex"/> (the
/// catalog, ACL and prepared-query tables) or of the DNS token's permissions
/// (<see cref="DnsAccess.CacheKey"/>) starts a fresh generation. Entries also expire after a
/// short max age (the known-datacenter list is not versioned by the index).
/// Names keep their case in the key because answers echo the query's spelling.
/// </summary>
public sealed class DnsAnswerCache
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly int _capacity;
    private Generation _current = new(0, DnsAccess.Unrestricted.CacheKey, new());

    public DnsAnswerCache(TimeProvider time, TimeSpan maxAge, int capacity = 10_000)
    {
        _time = time;
        _maxAge = maxAge;
        _capacity = capacity;
    }

    public int Count => _current.Entries.Count;

    /// <param name="scope">The permissions the answer was resolved with, compared by reference.</param>
    public DnsAnswer GetOrAdd(ulong index, object scope, DomainName name, RecordType type, Func<DnsAnswer> resolve)
    {
        var generation = _current;
        if (!generation.Matches(index, scope) || generation.Entries.Count >= _capacity)
        {
            var fresh = new Generation(index, scope, new());
            // Another thread may have started the generation already; either one is correct.
            generation = Interlocked.CompareExchange(ref _current, fresh, generation) == generation ? fresh : _current;
            if (!generation.Matches(index, scope)) return resolve();
        }
        var key = (name.ToString(), type);
        var now = _time.GetTimestamp();
        if (generation.Entries.TryGetValue(key, out var hit) && _time.GetElapsedTime(hit.Created, now) < _maxAge)
            return hit.Answer;
        var answer = resolve();
        generation.Entries[key] = new Entry(answer, now);
        return answer;
    }

    private sealed record Entry(DnsAnswer Answer, long Created);

    private sealed record Generation(ulong Index, object Scope, ConcurrentDictionary<(string, RecordType), Entry> Entries)
    {
        public bool Matches(ulong index, object scope) => Index == index && ReferenceEquals(Scope, scope);
    }
}
