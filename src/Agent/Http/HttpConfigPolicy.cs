using System.Net;
using Consul.Agent.Config;

namespace Consul.Agent.Http;

/// <summary>
/// http_config on every /v1/ request, as Consul's HTTP wrapper applies it before any handler:
/// response_headers are added to the answer; a path under one of block_endpoints' prefixes is
/// refused (403 "Endpoint is blocked by agent configuration"); with allow_write_http_from set,
/// a request other than GET, HEAD or OPTIONS from an address outside those networks is refused
/// (403 "Access is restricted"). Then limits.rpc_rate (<see cref="RpcRateLimiter"/>): outside
/// /v1/agent/, a request over the rate gets 429 "RPC rate limit exceeded". Requests another
/// datacenter forwarded to this server (<see cref="LocalHttpExecutor.IsForwarded"/>) were RPCs
/// in Consul and skip the checks.
/// </summary>
public sealed class HttpConfigPolicy(RequestDelegate next, AgentConfig config, RpcRateLimiter rpcRate, ILogger<HttpConfigPolicy> log)
{
    public const string RateExceeded = "RPC rate limit exceeded";

    private readonly IPNetwork[] _writers = config.Http.AllowWriteHttpFrom.Select(IPNetwork.Parse).ToArray();

    public Task InvokeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (!path.StartsWith("/v1/", StringComparison.Ordinal) || ctx.Connection.LocalPort == config.Ports.Server)
            return next(ctx);
        foreach (var (name, value) in config.Http.ResponseHeaders) ctx.Response.Headers[name] = value;
        if (LocalHttpExecutor.IsForwarded(ctx.Request)) return next(ctx);
        if (config.Http.BlockEndpoints.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal)))
            return Refuse(ctx, "Endpoint is blocked by agent configuration");
        if (_writers.Length > 0 && !IsRead(ctx.Request.Method) && !_writers.Any(n => ctx.Connection.RemoteIpAddress is { } ip && n.Contains(Normalize(ip))))
            return Refuse(ctx, "Access is restricted");
        // limits.rpc_rate: the agent's own endpoints make no server RPC in Consul.
        if (!path.StartsWith("/v1/agent/", StringComparison.Ordinal) && !rpcRate.Allow())
            return Refuse(ctx, RateExceeded, StatusCodes.Status429TooManyRequests);
        return next(ctx);
    }

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>A dual-stack listener reports IPv4 callers as ::ffff:a.b.c.d; the configured networks are plain IPv4.</summary>
    private static IPAddress Normalize(IPAddress ip) => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;

    private Task Refuse(HttpContext ctx, string reason, int status = StatusCodes.Status403Forbidden)
    {
        log.LogError("Request error: method={Method} url={Path} from={Remote} error=\"{Reason}\"",
            ctx.Request.Method, ctx.Request.Path, ctx.Connection.RemoteIpAddress, reason);
        return ApiResponses.WriteText(ctx, status, reason);
    }
}
