namespace Consul.Agent.Http;

/// <summary>/v1/status/leader and /v1/status/peers: server RPC addresses.</summary>
public static class StatusEndpoints
{
    public static void MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/status/leader", (HttpContext ctx, ApiContext api) =>
            ApiResponses.WriteJson(ctx, api, api.Cluster.Raft().LeaderAddress));
        app.MapGet("/v1/status/peers", (HttpContext ctx, ApiContext api) =>
            ApiResponses.WriteJson(ctx, api, api.Cluster.Raft().Servers.Where(s => s.Voter).Select(s => s.Address).ToList()));
    }
}
