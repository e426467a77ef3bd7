using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Consul.Core.Acl;

namespace Consul.Agent.Http;

/// <summary>
/// Encoded JSON answers of state reads, reused while the state index they were read at is
/// still current. A read marks itself cacheable (<see cref="StateIndexKey"/>) only when the
/// state did not change while it ran, and is stored only if it still has not changed when
/// written, so a cached body is always exactly what a fresh read would encode.
/// Bodies are ACL-filtered, so entries are keyed by the resolved identity (accessor and
/// compiled policy set), never by the secret text: two secrets of one token share entries,
/// and a request without a token never gets a body filtered for another default token.
/// </summary>
public sealed class ResponseCache
{
    public const string StateIndexKey = "consul.state-index";
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, (ulong Index, byte[] Body)> _entries = new(StringComparer.Ordinal);
    // A number per compiled authorizer, so identities with equal accessors but different rules never collide.
    private static readonly ConditionalWeakTable<IAuthorizer, object> AuthorizerIds = new();
    private static long _nextAuthorizerId;

    /// <summary>The cache key part naming who is asking: accessor plus the compiled rules it resolved to.</summary>
    public static string IdentityOf(Authorizer authz)
    {
        var id = AuthorizerIds.GetValue(authz.Inner, _ => Interlocked.Increment(ref _nextAuthorizerId));
        return authz.AccessorID + "#" + id;
    }

    public byte[] GetOrEncode(HttpContext ctx, ulong currentIndex, bool indented, Func<string> identity, Func<byte[]> encode)
    {
        if (ctx.Items[StateIndexKey] is not ulong readAt || readAt != currentIndex) return encode();
        // The same request (path, query, identity, format) at the same state index has the same answer.
        var key = string.Concat(ctx.Request.Path.Value, ctx.Request.QueryString.Value, "|", identity(), indented ? "|p" : "|c");
        if (_entries.TryGetValue(key, out var hit) && hit.Index == readAt) return hit.Body;
        var body = encode();
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[key] = (readAt, body);
        return body;
    }

    /// <summary>Drops every entry (the agent's tokens changed, so who a tokenless request is changed).</summary>
    public void Clear() => _entries.Clear();

    public int Count => _entries.Count;
}
