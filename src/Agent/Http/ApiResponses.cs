using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>Writing Consul-shaped responses: JSON bodies, query meta headers, blocking reads.</summary>
public static class ApiResponses
{
    public static JsonSerializerOptions JsonOptionsFor(HttpContext ctx, ApiContext api) =>
        ctx.Request.Query.ContainsKey("pretty") || api.Config.Dev ? ApiJson.Pretty : ApiJson.Compact;

    public static async Task WriteJson<T>(HttpContext ctx, ApiContext api, T value)
    {
        var options = JsonOptionsFor(ctx, api);
        ctx.Response.ContentType = "application/json";
        var bytes = api.Responses.GetOrEncode(ctx, api.Store.Current.LastIndex, options.WriteIndented,
            () => ResponseCache.IdentityOf(api.Acl.ForRequest(ctx)),
            () => GoHtmlEscape(JsonSerializer.SerializeToUtf8Bytes(value, options)));
        if (options.WriteIndented)
        {
            // Consul appends a newline to indented output.
            await ctx.Response.Body.WriteAsync(bytes);
            await ctx.Response.Body.WriteAsync("\n"u8.ToArray());
            return;
        }
        await ctx.Response.Body.WriteAsync(bytes);
    }

    /// <summary>
    /// Go's encoding/json escapes &lt;, &gt; and &amp; as \u003c, \u003e and \u0026. Those bytes can only
    /// occur inside JSON strings, so replacing them in the encoded output is safe.
    /// </summary>
    public static byte[] GoHtmlEscape(byte[] json)
    {
        var count = 0;
        foreach (var b in json) if (b is (byte)'<' or (byte)'>' or (byte)'&') count++;
        if (count == 0) return json;
        var result = new byte[json.Length + count * 5];
        var at = 0;
        foreach (var b in json)
        {
            var escape = b switch { (byte)'<' => "\\u003c"u8, (byte)'>' => "\\u003e"u8, (byte)'&' => "\\u0026"u8, _ => default };
            if (escape.IsEmpty) { result[at++] = b; continue; }
            escape.CopyTo(result.AsSpan(at));
            at += escape.Length;
        }
        return result;
    }

    /// <summary>How long a blocking read may wait: ?wait within default_query_time and max_query_time.</summary>
    public static TimeSpan BlockingWait(ApiContext api, QueryOptions opts) =>
        BlockingQuery.ClampWait(opts.Wait, api.Config.DefaultQueryTime, api.Config.MaxQueryTime);

    public static Task WriteText(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(text);
    }

    /// <summary>X-Consul-Index, -KnownLeader, -LastContact and -Effective-Consistency.</summary>
    public static void SetMeta(HttpContext ctx, ApiContext api, ulong index, ReadConsistency mode)
    {
        var info = api.Log.Consistency;
        var h = ctx.Response.Headers;
        h["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        h["X-Consul-KnownLeader"] = info.KnownLeader ? "true" : "false";
        h["X-Consul-LastContact"] = ((ulong)Math.Max(0, info.LastContact.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        h["X-Consul-Effective-Consistency"] = mode switch
        {
            ReadConsistency.Stale => "stale",
            ReadConsistency.Consistent => "consistent",
            _ => "leader",
        };
    }

    /// <summary>
    /// A read as Consul serves it: datacenter check, consistency barrier, blocking on
    /// ?index/?wait over the tables the query reads, then the meta headers.
    /// </summary>
    public static async Task<QueryResult<T>> Read<T>(HttpContext ctx, ApiContext api, QueryOptions opts,
        string[] tables, Func<StateSnapshot, QueryResult<T>> query)
    {
        CheckDatacenter(api, opts.Datacenter);
        await ReadBarrierAsync(ctx, api, opts);
        QueryResult<T> result;
        var before = api.Store.Current.LastIndex;
        try
        {
            result = await BlockingQuery.RunAsync(api.Store, opts.MinIndex, BlockingWait(api, opts), tables, query, api.Time,
                Random.Shared, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            throw new ApiException(499, "client closed request");
        }
        SetMeta(ctx, api, result.Index, opts.Consistency);
        // Nothing changed while reading: the answer is a pure function of this state index.
        if (api.Store.Current.LastIndex == before) ctx.Items[ResponseCache.StateIndexKey] = before;
        // ?cached: answers come straight from the agent's state, so they are always a fresh miss.
        if (ctx.Request.Query.ContainsKey("cached"))
        {
            ctx.Response.Headers["X-Cache"] = "MISS";
            ctx.Response.Headers["Age"] = "0";
        }
        return result;
    }

    /// <summary>
    /// Waits until this agent's state is as fresh as the read's consistency mode asks: default
    /// reads reach the leader's lease-backed read point, ?consistent a quorum-confirmed one, ?stale
    /// nothing. On a client agent (a replica) this is what makes a write made through a server
    /// visible to the next read here, as Consul's forwarding of the read to the leader does.
    /// </summary>
    public static Task ReadBarrierAsync(HttpContext ctx, ApiContext api, QueryOptions opts) => opts.Consistency switch
    {
        ReadConsistency.Consistent => api.Log.ConsistentReadBarrierAsync(ctx.RequestAborted),
        ReadConsistency.Default => api.Log.DefaultReadBarrierAsync(ctx.RequestAborted),
        _ => Task.CompletedTask,
    };

    /// <summary>Consul answers a request for an unknown datacenter with this 500.</summary>
    public static void CheckDatacenter(ApiContext api, string dc)
    {
        if (!api.Cluster.Datacenters().Contains(dc, StringComparer.Ordinal))
            throw new ApiException(StatusCodes.Status500InternalServerError, "No path to datacenter");
    }

    /// <summary>Decodes a JSON body; an empty or malformed one is Consul's 400 "Request decode failed".</summary>
    public static async Task<T> ReadBody<T>(HttpContext ctx) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(ctx.Request.Body, ApiJson.Compact, ctx.RequestAborted);
            return value ?? throw ApiException.BadRequest("Request decode failed: body is null");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Request decode failed: {OneLine(e.Message)}");
        }
    }

    /// <summary>Like <see cref="ReadBody{T}(HttpContext)"/>, rewriting the parsed JSON first (aliases, number forms).</summary>
    public static async Task<T> ReadBody<T>(HttpContext ctx, Action<JsonNode?> normalize) where T : class
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var bytes = buffer.ToArray();
        try
        {
            T? value;
            try
            {
                var node = JsonNode.Parse(bytes);
                normalize(node);
                value = node.Deserialize<T>(ApiJson.Compact);
            }
            catch (ArgumentException)
            {
                // Duplicate keys: Go keeps the last one, as plain binding does; skip the rewrite.
                value = JsonSerializer.Deserialize<T>(bytes, ApiJson.Compact);
            }
            return value ?? throw ApiException.BadRequest("Request decode failed: body is null");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Request decode failed: {OneLine(e.Message)}");
        }
    }

    /// <summary>A JSON body that may be absent (null when empty); malformed is a 400.</summary>
    public static async Task<JsonDocument?> ReadOptionalJson(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length == 0) return null;
        try
        {
            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Request decode failed: {OneLine(e.Message)}");
        }
    }

    private static string OneLine(string s) => s.Replace('\n', ' ').Replace('\r', ' ');
}
