using System.Text.Json;
using Consul.Agent.Config;
using Consul.Core.Rpc;

namespace Consul.Agent.Http;

/// <summary>
/// Cross-datacenter requests, decided once for every endpoint: a request on a forwarding route
/// (<see cref="ForwardableRoutes"/>) whose ?dc (or, for catalog writes, body Datacenter) names
/// another datacenter is sent there whole — method, path and query, token, content type, body —
/// and the remote answer is passed through unchanged (status, X-Consul-Index, -KnownLeader,
/// -LastContact, content type, body). The remote datacenter checks the token itself.
/// </summary>
public sealed class DatacenterForwarding(RequestDelegate next, AgentConfig config, IServiceProvider services)
{
    private readonly DatacenterForwarder? _forwarder = services.GetService<DatacenterForwarder>();

    /// <summary>Request headers that travel with the request; nothing else changes an answer.</summary>
    public static readonly string[] RequestHeaders = ["X-Consul-Token", "Authorization", "Content-Type"];

    public async Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (_forwarder is not { } forwarder || ctx.Connection.LocalPort == config.Ports.Server)
        {
            await next(ctx);
            return;
        }
        if (!config.Server && ForwardableRoutes.ServersAnswer(ctx.Request.Method, path))
        {
            // A client agent has no WAN view: its servers list the datacenters (Consul's Catalog.ListDatacenters RPC).
            await WriteAsync(ctx, await forwarder.ForwardAsync(await RequestAsync(ctx, config.Datacenter, path, null), ctx.RequestAborted));
            return;
        }
        if (!ForwardableRoutes.Forwards(path))
        {
            await next(ctx);
            return;
        }
        var dc = ctx.Request.Query["dc"].ToString();
        byte[]? body = null;
        if (dc.Length == 0 && ForwardableRoutes.TakesDatacenterFromBody(ctx.Request.Method, path))
        {
            body = await ReadBodyAsync(ctx);
            dc = BodyDatacenter(body);
            // Endpoints read the body themselves when the request stays here.
            ctx.Request.Body = new MemoryStream(body, writable: false);
        }
        if (dc.Length == 0 || dc == config.Datacenter)
        {
            await next(ctx);
            return;
        }
        var response = await forwarder.ForwardAsync(await RequestAsync(ctx, dc, path, body), ctx.RequestAborted);
        await WriteAsync(ctx, response);
    }

    private static async Task<ForwardedHttpRequest> RequestAsync(HttpContext ctx, string dc, string path, byte[]? body) => new()
    {
        Datacenter = dc,
        Method = ctx.Request.Method,
        PathAndQuery = path + ctx.Request.QueryString.Value,
        Headers = RequestHeaders.Where(h => ctx.Request.Headers.ContainsKey(h))
            .Select(h => new KeyValuePair<string, string>(h, ctx.Request.Headers[h].ToString())).ToList(),
        Body = body ?? await ReadBodyAsync(ctx),
    };

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>The Datacenter field of a catalog write (matched case-insensitively, as Go decodes); "" if none or unreadable.</summary>
    public static string BodyDatacenter(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return "";
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name.Equals("Datacenter", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String)
                    return p.Value.GetString() ?? "";
        }
        catch (JsonException) { } // the endpoint answers the decode error
        return "";
    }

    private static async Task WriteAsync(HttpContext ctx, ForwardedHttpResponse response)
    {
        ctx.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers) ctx.Response.Headers[name] = value;
        await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted);
    }
}
