using Consul.Core.Util;
using Microsoft.AspNetCore.WebUtilities;

namespace Consul.Core.Rpc;

/// <summary>
/// How long one forwarded request may take. A blocking query (?index) waits up to ?wait (default
/// and cap: this agent's default_query_time and max_query_time, as Consul's client computes its
/// RPC deadline) plus the wait/16
/// jitter the server adds; anything else gets a plain minute. Every hop computes it from the
/// request itself, so a deadline needs no extra field.
/// </summary>
public static class ForwardTimeout
{
    public static readonly TimeSpan DefaultQueryTime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxQueryTime = TimeSpan.FromMinutes(10);
    /// <summary>Room for the WAN round trips and the remote server's read barrier.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan NonBlocking = TimeSpan.FromMinutes(1);

    /// <param name="defaultQueryTime">This agent's default_query_time (unset: 5 min).</param>
    /// <param name="maxQueryTime">This agent's max_query_time (unset: 10 min).</param>
    public static TimeSpan Of(string pathAndQuery, TimeSpan defaultQueryTime = default, TimeSpan maxQueryTime = default)
    {
        var q = pathAndQuery.IndexOf('?');
        if (q < 0) return NonBlocking;
        var query = QueryHelpers.ParseQuery(pathAndQuery[q..]);
        if (!query.TryGetValue("index", out var index) || string.IsNullOrEmpty(index.ToString())) return NonBlocking;
        var wait = defaultQueryTime > TimeSpan.Zero ? defaultQueryTime : DefaultQueryTime;
        var max = maxQueryTime > TimeSpan.Zero ? maxQueryTime : MaxQueryTime;
        if (query.TryGetValue("wait", out var w) && GoDuration.TryParse(w.ToString(), out var asked) && asked > TimeSpan.Zero) wait = asked;
        if (wait > max) wait = max;
        return wait + wait / 16 + Margin;
    }
}
