using Consul.Core.Acl;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>Consul's coordinate entry JSON: Node, Segment, Coord (Vec, Error, Adjustment, Height).</summary>
public sealed record CoordinateEntryJson(string Node, string Segment, Coordinate? Coord);

/// <summary>One datacenter's server coordinates (Consul's structs.DatacenterMap; AreaID "wan").</summary>
public sealed record DatacenterMapJson(string Datacenter, string AreaID, List<CoordinateWanJson> Coordinates);

/// <summary>A server in <see cref="DatacenterMapJson"/>: node name (without the .dc) and coordinate.</summary>
public sealed record CoordinateWanJson(string Node, Coordinate Coord);

/// <summary>The body of PUT /v1/coordinate/update (Consul's structs.CoordinateUpdateRequest).</summary>
public sealed record CoordinateUpdateBody
{
    public string? Node { get; init; }
    public string? Segment { get; init; }
    public Coordinate? Coord { get; init; }
}

/// <summary>/v1/coordinate/* — network coordinates of servers (WAN) and nodes (LAN).</summary>
public static class CoordinateEndpoints
{
    private static readonly string[] CoordinateTables = [Tables.Coordinates];

    public static void MapCoordinateEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/coordinate/datacenters", Datacenters);
        app.MapGet("/v1/coordinate/nodes", Nodes);
        app.MapGet("/v1/coordinate/node/{**node}", Node);
        app.MapPut("/v1/coordinate/update", Update);
    }

    /// <summary>Consul answers every coordinate endpoint this way when disable_coordinates is set.</summary>
    private static void CheckEnabled(ApiContext api)
    {
        if (api.Config.DisableCoordinates) throw new ApiException(StatusCodes.Status401Unauthorized, "Coordinate support disabled");
    }

    private static async Task Datacenters(HttpContext ctx, ApiContext api)
    {
        CheckEnabled(api);
        var maps = api.Coordinates.Wan()
            .Select(dc => new DatacenterMapJson(dc.Datacenter, "wan", dc.Servers.Select(s => new CoordinateWanJson(s.Node, s.Coord)).ToList()))
            .ToList();
        await ApiResponses.WriteJson(ctx, api, maps);
    }

    private static async Task Nodes(HttpContext ctx, ApiContext api)
    {
        CheckEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CoordinateTables, s =>
        {
            var visible = AclFilters.Keep(Entries(s, s.Coordinates.Keys), e => authz.NodeRead(e.Node), out removed);
            return new QueryResult<List<CoordinateEntryJson>>(s.TableIndex(Tables.Coordinates), BySegment(ctx, visible));
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task Node(HttpContext ctx, ApiContext api, string? node)
    {
        CheckEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        var authz = AclFilters.Authz(ctx, api);
        Authorizer.Require(authz.NodeReadAllowed(node));
        var r = await ApiResponses.Read(ctx, api, opts, CoordinateTables, s =>
            new QueryResult<List<CoordinateEntryJson>>(s.TableIndex(Tables.Coordinates), BySegment(ctx, Entries(s, [node]))));
        if (r.Value.Count == 0)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task Update(HttpContext ctx, ApiContext api)
    {
        CheckEnabled(api);
        var body = await ApiResponses.ReadBody<CoordinateUpdateBody>(ctx);
        var dc = ctx.Request.Query["dc"].ToString();
        ApiResponses.CheckDatacenter(api, string.IsNullOrEmpty(dc) ? api.Config.Datacenter : dc);
        // Consul's Coordinate.Update: a usable coordinate of this cluster's dimensionality, node:write.
        if (body.Coord is not { } coord || !coord.IsValid()) throw ApiException.BadRequest("invalid coordinate");
        if (api.Coordinates.Lan() is { } own && !own.IsCompatibleWith(coord)) throw ApiException.BadRequest("incompatible coordinate");
        var node = body.Node ?? "";
        Authorizer.Require(AclFilters.Authz(ctx, api).NodeWriteAllowed(node));
        var result = await api.Log.ApplyAsync(new CoordinateBatchCommand { Updates = [new CoordinateUpdate(node, body.Segment ?? "", coord)] }, ctx.RequestAborted);
        if (!result.Ok) throw ApiException.BadRequest(result.Error!);
        ctx.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>Entries for the given nodes, by node name then segment (Consul's table order).</summary>
    private static List<CoordinateEntryJson> Entries(StateSnapshot s, IEnumerable<string> nodes)
    {
        var list = new List<CoordinateEntryJson>();
        foreach (var node in nodes)
        {
            if (!s.Coordinates.TryGetValue(node, out var segments)) continue;
            foreach (var (segment, coord) in segments) list.Add(new CoordinateEntryJson(node, segment, coord));
        }
        return list;
    }

    /// <summary>Consul's filterCoordinates: ?segment keeps one segment (an empty value means the default one).</summary>
    private static List<CoordinateEntryJson> BySegment(HttpContext ctx, List<CoordinateEntryJson> entries) =>
        ctx.Request.Query.TryGetValue("segment", out var segment)
            ? entries.Where(e => e.Segment == segment.ToString()).ToList()
            : entries;
}
