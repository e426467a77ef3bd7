using System.Globalization;
using Consul.Core.Util;

namespace Consul.Agent.Http;

/// <summary>Consistency mode a read asked for.</summary>
public enum ReadConsistency { Default, Stale, Consistent }

/// <summary>
/// The query options every endpoint shares, parsed as Consul's parse/parseWait/
/// parseConsistency/parseDC/parseToken do, with the same error messages.
/// </summary>
public sealed record QueryOptions
{
    public ulong MinIndex { get; init; }
    public TimeSpan Wait { get; init; }
    public ReadConsistency Consistency { get; init; }
    public string Datacenter { get; init; } = "";
    public string Token { get; init; } = "";
    public string? Filter { get; init; }
    public Dictionary<string, string> NodeMeta { get; init; } = new();
    /// <summary>?near: the node to sort results by estimated round-trip time from ("_agent" is this agent).</summary>
    public string Near { get; init; } = "";

    public static QueryOptions Parse(HttpRequest req, string localDatacenter)
    {
        var q = req.Query;
        var wait = TimeSpan.Zero;
        if (q.TryGetValue("wait", out var w) && !string.IsNullOrEmpty(w.ToString()))
        {
            if (!GoDuration.TryParse(w.ToString(), out wait)) throw ApiException.BadRequest("Invalid wait time");
        }
        ulong index = 0;
        if (q.TryGetValue("index", out var i) && !string.IsNullOrEmpty(i.ToString()))
        {
            if (!ulong.TryParse(i.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out index))
                throw ApiException.BadRequest("Invalid index");
        }
        var stale = q.ContainsKey("stale");
        var consistent = q.ContainsKey("consistent");
        if (stale && consistent)
            throw ApiException.BadRequest("Cannot specify ?stale with ?consistent, conflicting semantics.");

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in q["node-meta"])
        {
            if (string.IsNullOrEmpty(pair)) continue;
            var colon = pair.IndexOf(':');
            if (colon < 0) meta[pair] = "";
            else meta[pair[..colon]] = pair[(colon + 1)..];
        }

        var dc = q["dc"].ToString();
        return new QueryOptions
        {
            MinIndex = index,
            Wait = wait,
            Consistency = stale ? ReadConsistency.Stale : consistent ? ReadConsistency.Consistent : ReadConsistency.Default,
            Datacenter = string.IsNullOrEmpty(dc) ? localDatacenter : dc,
            Token = ParseToken(req),
            Filter = q.TryGetValue("filter", out var f) ? f.ToString() : null,
            NodeMeta = meta,
            Near = q["near"].ToString(),
        };
    }

    /// <summary>?token, then X-Consul-Token, then Authorization: Bearer.</summary>
    public static string ParseToken(HttpRequest req)
    {
        var token = req.Query["token"].ToString();
        if (!string.IsNullOrEmpty(token)) return token;
        token = req.Headers["X-Consul-Token"].ToString();
        if (!string.IsNullOrEmpty(token)) return token;
        var auth = req.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (auth.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)) return auth[bearer.Length..].Trim();
        return "";
    }

    public bool MatchesNodeMeta(Dictionary<string, string> meta) =>
        NodeMeta.All(kv => meta.TryGetValue(kv.Key, out var v) && v == kv.Value);
}
