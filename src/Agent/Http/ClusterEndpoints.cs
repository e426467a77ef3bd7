using Consul.Core.Acl;
using Consul.Core.Cluster;

namespace Consul.Agent.Http;

/// <summary>
/// /v1/agent/join/:address and /v1/agent/force-leave/:node. Both answer 200 with an empty
/// body; a failure is Consul's 500 with the error text as is. Join needs agent:write on this
/// agent, force-leave operator:write, as in Consul's agent_endpoint.go.
/// </summary>
public static class ClusterEndpoints
{
    public static void MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        // Consul takes everything after the prefix as the address or node name, slashes included.
        app.MapPut("/v1/agent/join/{**address}", Join);
        app.MapPut("/v1/agent/force-leave/{**node}", ForceLeave);
    }

    private static async Task Join(HttpContext ctx, ApiContext api, string? address)
    {
        Authorizer.Require(AclFilters.Authz(ctx, api).AgentWriteAllowed(api.Config.NodeName));
        // Consul: wan is on when the parameter has a non-empty value.
        var wan = ctx.Request.Query["wan"].ToString() != "";
        await Run(() => api.ClusterControl.JoinAsync([address ?? ""], wan, ctx.RequestAborted));
    }

    private static async Task ForceLeave(HttpContext ctx, ApiContext api, string? node)
    {
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorWriteAllowed());
        // Consul: prune and wan are on when present at all, even empty.
        var prune = ctx.Request.Query.ContainsKey("prune");
        var wan = ctx.Request.Query.ContainsKey("wan");
        await Run(() => api.ClusterControl.ForceLeaveAsync(node ?? "", prune, wan, ctx.RequestAborted));
    }

    /// <summary>A cluster operation's refusal is Consul's plain 500 with its message.</summary>
    internal static async Task Run(Func<Task> operation, string errorPrefix = "")
    {
        try
        {
            await operation();
        }
        catch (ClusterOperationException e)
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, errorPrefix + e.Message);
        }
    }
}
