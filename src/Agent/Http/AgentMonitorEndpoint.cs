using Consul.Agent.Hosting;
using Consul.Core.Acl;

namespace Consul.Agent.Http;

/// <summary>GET /v1/agent/monitor: streams the agent's log lines (?loglevel, ?logjson) until the client goes away.</summary>
public static class AgentMonitorEndpoint
{
    public static void MapAgentMonitorEndpoint(this IEndpointRouteBuilder app) => app.MapGet("/v1/agent/monitor", Monitor);

    private static async Task Monitor(HttpContext ctx, LogBroadcaster logs, ApiContext api)
    {
        // agent:read before anything else, as Consul's AgentMonitor.
        Authorizer.Require(AclFilters.Authz(ctx, api).AgentReadAllowed(api.Config.NodeName));
        var levelText = ctx.Request.Query["loglevel"].ToString();
        if (levelText == "") levelText = "INFO";
        LogLevel level = levelText.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" => LogLevel.Information,
            "WARN" => LogLevel.Warning,
            "ERR" or "ERROR" => LogLevel.Error,
            _ => throw ApiException.BadRequest($"Unknown log level: {levelText}"),
        };
        using var monitor = logs.Subscribe(level, ctx.Request.Query.ContainsKey("logjson"));
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        try
        {
            await foreach (var line in monitor.Lines.ReadAllAsync(ctx.RequestAborted))
            {
                await ctx.Response.WriteAsync(line + "\n", ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (OperationCanceledException) { }
    }
}
