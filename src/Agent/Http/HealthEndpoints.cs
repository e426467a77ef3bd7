using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>/v1/health/* — node, checks, service, state.</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/health/node/{**node}", NodeChecks);
        app.MapGet("/v1/health/checks/{**service}", ServiceChecks);
        app.MapGet("/v1/health/service/{**service}", ServiceNodes);
        app.MapGet("/v1/health/state/{**state}", ChecksInState);
    }

    private static async Task NodeChecks(HttpContext ctx, ApiContext api, string? node)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.CheckTables, s => CatalogReads.NodeChecks(s, node));
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(HealthCheckJson.List(r.Value), opts));
    }

    private static async Task ServiceChecks(HttpContext ctx, ApiContext api, string? service)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(service)) throw ApiException.BadRequest("Missing service name");
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.HealthTables, s => CatalogReads.ServiceChecks(s, service));
        var snap = api.Store.Current;
        var list = opts.NodeMeta.Count == 0
            ? r.Value
            : r.Value.Where(c => snap.Nodes.TryGetValue(c.Node, out var n) && opts.MatchesNodeMeta(n.Meta)).ToList();
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(HealthCheckJson.List(list), opts));
    }

    private static async Task ServiceNodes(HttpContext ctx, ApiContext api, string? service)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(service)) throw ApiException.BadRequest("Missing service name");
        var q = ctx.Request.Query;
        var passingOnly = false;
        if (q.ContainsKey("passing"))
        {
            // A bare ?passing means true; otherwise Go's strconv.ParseBool spellings.
            var raw = q["passing"].ToString();
            if (raw == "") passingOnly = true;
            else if (!GoQuery.TryParseBool(raw, out passingOnly)) throw ApiException.BadRequest("Invalid value for ?passing");
        }
        var tags = q["tag"].Where(t => t is not null).Cast<string>().ToList();
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.HealthTables, s => CatalogReads.ServiceInstances(s, service, withChecks: true));
        var list = r.Value
            .Where(i => tags.All(t => i.Service.Tags.Contains(t)) && opts.MatchesNodeMeta(i.Node.Meta))
            .Where(i => !passingOnly || i.Checks.All(c => c.Status == HealthStatus.Passing))
            .Select(i => new ServiceEntryJson(i.Node, NodeServiceJson.From(i.Service), HealthCheckJson.List(i.Checks)));
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(list, opts));
    }

    private static async Task ChecksInState(HttpContext ctx, ApiContext api, string? state)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(state)) throw ApiException.BadRequest("Missing check state");
        if (state is not (HealthStatus.Any or HealthStatus.Passing or HealthStatus.Warning or HealthStatus.Critical))
            throw ApiException.BadRequest("Invalid check state");
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.CheckTables, s => CatalogReads.ChecksInState(s, state));
        var snap = api.Store.Current;
        var list = opts.NodeMeta.Count == 0
            ? r.Value
            : r.Value.Where(c => snap.Nodes.TryGetValue(c.Node, out var n) && opts.MatchesNodeMeta(n.Meta)).ToList();
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(HealthCheckJson.List(list), opts));
    }
}
