using System.Collections.Concurrent;

namespace Consul.Agent.Http;

/// <summary>
/// Encoded JSON answers of state reads, reused while the state index they were read at is
/// still current. A read marks itself cacheable (<see cref="StateIndexKey"/>) only when the
/// state did not change while it ran, and is stored only if it still has not changed when
/// written, so a cached body is always exactly what a fresh read would encode.
/// </summary>
public sealed class ResponseCache
{
    public const string StateIndexKey = "consul.state-index";
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, (ulong Index, byte[] Body)> _entries = new(StringComparer.Ordinal);

    public byte[] GetOrEncode(HttpContext ctx, ulong currentIndex, bool indented, Func<byte[]> encode)
    {
        if (ctx.Items[StateIndexKey] is not ulong readAt || readAt != currentIndex) return encode();
        // The same request (path, query, token, format) at the same state index has the same answer.
        var key = string.Concat(ctx.Request.Path.Value, ctx.Request.QueryString.Value, "|", QueryOptions.ParseToken(ctx.Request), indented ? "|p" : "|c");
        if (_entries.TryGetValue(key, out var hit) && hit.Index == readAt) return hit.Body;
        var body = encode();
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = (readAt, body);
        return body;
    }
}
