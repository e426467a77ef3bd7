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

    // As the catalog reads: node-meta, tag, ?passing and ?filter first, then ACL filtering
    // (filterHealthChecks / filterCheckServiceNodes), inside the blocking read.

    private static async Task NodeChecks(HttpContext ctx, ApiContext api, string? node)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        await CheckList(ctx, api, opts, CatalogReads.CheckTables, s => CatalogReads.NodeChecks(s, node), sortNear: false);
    }

    private static async Task ServiceChecks(HttpContext ctx, ApiContext api, string? service)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(service)) throw ApiException.BadRequest("Missing service name");
        await CheckList(ctx, api, opts, CatalogReads.HealthTables, s => CatalogReads.ServiceChecks(s, service), sortNear: true);
    }

    private static async Task ChecksInState(HttpContext ctx, ApiContext api, string? state)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(state)) throw ApiException.BadRequest("Missing check state");
        if (state is not (HealthStatus.Any or HealthStatus.Passing or HealthStatus.Warning or HealthStatus.Critical))
            throw ApiException.BadRequest("Invalid check state");
        await CheckList(ctx, api, opts, CatalogReads.CheckTables, s => CatalogReads.ChecksInState(s, state), sortNear: true);
    }

    /// <summary>A check listing: node-meta, ?filter, then node:read and service:read per check, then ?near.</summary>
    private static async Task CheckList(HttpContext ctx, ApiContext api, QueryOptions opts, string[] tables,
        Func<StateSnapshot, QueryResult<List<HealthCheck>>> read, bool sortNear)
    {
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, tables, s =>
        {
            var all = read(s);
            var matching = opts.NodeMeta.Count == 0
                ? all.Value
                : all.Value.Where(c => s.Nodes.TryGetValue(c.Node, out var n) && opts.MatchesNodeMeta(n.Meta)).ToList();
            var filtered = ApiFilter.Apply(matching, HealthCheckJson.From, opts);
            var visible = AclFilters.Keep(filtered, c => AclFilters.CanReadCheck(authz, c), out removed);
            if (sortNear) NearSort.Apply(api, s, opts, visible, c => c.Node);
            return new QueryResult<List<HealthCheckJson>>(all.Index, HealthCheckJson.List(visible), all.Fingerprint);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
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
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.HealthTables, s =>
        {
            var all = CatalogReads.ServiceInstances(s, service, withChecks: true);
            var matching = all.Value
                .Where(i => tags.All(t => i.Service.Tags.Contains(t)) && opts.MatchesNodeMeta(i.Node.Meta))
                .Where(i => !passingOnly || i.Checks.All(c => c.Status == HealthStatus.Passing))
                .Select(i => (Instance: i, Json: new ServiceEntryJson(i.Node, NodeServiceJson.From(i.Service), HealthCheckJson.List(i.Checks))));
            var filtered = ApiFilter.Apply(matching, x => x.Json, opts);
            var visible = AclFilters.Keep(filtered, x => AclFilters.CanReadInstance(authz, x.Instance.Node, x.Instance.Service), out removed);
            NearSort.Apply(api, s, opts, visible, x => x.Instance.Node.Name);
            return new QueryResult<List<ServiceEntryJson>>(all.Index, visible.Select(x => x.Json).ToList(), all.Fingerprint);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }
}
