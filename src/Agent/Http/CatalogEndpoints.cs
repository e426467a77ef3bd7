using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>/v1/catalog/* — register, deregister, datacenters, nodes, services, service, node, node-services.</summary>
public static class CatalogEndpoints
{
    public static void MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/catalog/register", Register);
        app.MapPut("/v1/catalog/deregister", Deregister);
        app.MapGet("/v1/catalog/datacenters", Datacenters);
        app.MapGet("/v1/catalog/nodes", Nodes);
        app.MapGet("/v1/catalog/services", Services);
        app.MapGet("/v1/catalog/service/{**name}", Service);
        app.MapGet("/v1/catalog/node/{**node}", Node);
        app.MapGet("/v1/catalog/node-services/{**node}", NodeServiceList);
    }

    private static async Task Register(HttpContext ctx, ApiContext api)
    {
        var body = await ApiResponses.ReadBody<CatalogRegisterRequest>(ctx);
        ApiResponses.CheckDatacenter(api, string.IsNullOrEmpty(body.Datacenter) ? api.Config.Datacenter : body.Datacenter);
        if (string.IsNullOrEmpty(body.Node)) throw ApiException.BadRequest("Must provide node");
        if (string.IsNullOrEmpty(body.Address)) throw ApiException.BadRequest("Must provide address");

        NodeService? service = null;
        if (body.Service is { } s)
        {
            if (string.IsNullOrEmpty(s.Service)) throw ApiException.BadRequest("Must provide service name");
            service = new NodeService
            {
                Kind = string.IsNullOrEmpty(s.Kind) ? null : s.Kind,
                ID = string.IsNullOrEmpty(s.ID) ? s.Service : s.ID,
                Service = s.Service,
                Tags = s.Tags ?? new(),
                Address = s.Address ?? "",
                TaggedAddresses = s.TaggedAddresses ?? new(),
                Meta = s.Meta ?? new(),
                Port = s.Port,
                Weights = s.Weights ?? new Weights(),
                EnableTagOverride = s.EnableTagOverride,
            };
        }

        var checks = new List<HealthCheck>();
        if (body.Check is not null) checks.Add(ToCheck(body.Check, body.Node));
        foreach (var c in body.Checks ?? []) checks.Add(ToCheck(c, body.Node));
        CatalogAcl.VetRegister(AclFilters.Authz(ctx, api), api.Store.Current, body, api.Config.Datacenter, service, checks);

        var result = await api.Log.ApplyAsync(new RegisterCommand
        {
            Node = body.Node,
            ID = body.ID ?? "",
            Address = body.Address,
            Datacenter = api.Config.Datacenter,
            TaggedAddresses = body.TaggedAddresses,
            NodeMeta = body.NodeMeta,
            Service = service,
            Checks = checks,
            SkipNodeUpdate = body.SkipNodeUpdate,
        }, ctx.RequestAborted);
        if (!result.Ok) throw ApiException.BadRequest(result.Error!);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static HealthCheck ToCheck(CatalogCheckBody c, string node)
    {
        var id = !string.IsNullOrEmpty(c.CheckID) ? c.CheckID : c.Name ?? "";
        if (id == "") throw ApiException.BadRequest("Missing check ID");
        var status = string.IsNullOrEmpty(c.Status) ? HealthStatus.Critical : c.Status;
        if (!HealthStatus.IsValid(status)) throw ApiException.BadRequest($"Invalid check status: \"{status}\"");
        return new HealthCheck
        {
            Node = node,
            CheckID = id,
            Name = c.Name ?? id,
            Notes = c.Notes ?? "",
            Status = status,
            Output = c.Output ?? "",
            ServiceID = c.ServiceID ?? "",
            Type = c.Type ?? "",
            Interval = c.Definition?.Interval ?? "",
            Timeout = c.Definition?.Timeout ?? "",
        };
    }

    private static async Task Deregister(HttpContext ctx, ApiContext api)
    {
        var body = await ApiResponses.ReadBody<CatalogDeregisterRequest>(ctx);
        ApiResponses.CheckDatacenter(api, string.IsNullOrEmpty(body.Datacenter) ? api.Config.Datacenter : body.Datacenter);
        if (string.IsNullOrEmpty(body.Node)) throw ApiException.BadRequest("Must provide node");
        CatalogAcl.VetDeregister(AclFilters.Authz(ctx, api), api.Store.Current, body);
        var result = await api.Log.ApplyAsync(new DeregisterCommand { Node = body.Node, ServiceID = body.ServiceID, CheckID = body.CheckID }, ctx.RequestAborted);
        if (!result.Ok) throw ApiException.BadRequest(result.Error!);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static Task Datacenters(HttpContext ctx, ApiContext api) =>
        ApiResponses.WriteJson(ctx, api, api.Cluster.Datacenters().ToList());

    // Reads apply node-meta, tag and ?filter first, then drop what the token may not read
    // (Consul filters with ACLs after bexpr, so the header counts only ACL removals), all
    // inside the blocking read.

    private static async Task Nodes(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.NodeTables, s =>
        {
            var all = CatalogReads.Nodes(s);
            var matching = ApiFilter.Apply(all.Value.Where(n => opts.MatchesNodeMeta(n.Meta)), opts);
            var visible = AclFilters.Keep(matching, n => authz.NodeRead(n.Name), out removed);
            NearSort.Apply(api, s, opts, visible, n => n.Name);
            return all with { Value = visible };
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task Services(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.ServiceTables, s =>
        {
            var all = opts.NodeMeta.Count == 0 ? CatalogReads.Services(s) : ServicesOnMatchingNodes(s, opts);
            // filterServices: service:read on each name.
            var kept = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            removed = false;
            foreach (var (name, tags) in all.Value)
            {
                if (AclFilters.AllowService(authz, name)) kept[name] = tags;
                else removed = true;
            }
            return all with { Value = kept };
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    /// <summary>Only services on nodes whose meta matches ?node-meta.</summary>
    private static QueryResult<SortedDictionary<string, SortedSet<string>>> ServicesOnMatchingNodes(StateSnapshot s, QueryOptions opts)
    {
        var matching = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (name, _) in s.ServiceNodes)
            foreach (var (node, svc) in s.Instances(name).Where(x => opts.MatchesNodeMeta(x.Node.Meta)))
            {
                if (!matching.TryGetValue(name, out var tags)) matching[name] = tags = new(StringComparer.Ordinal);
                tags.UnionWith(svc.Tags);
            }
        return new QueryResult<SortedDictionary<string, SortedSet<string>>>(s.MaxIndex(Tables.Nodes, Tables.Services), matching);
    }

    private static async Task Service(HttpContext ctx, ApiContext api, string? name)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(name)) throw ApiException.BadRequest("Missing service name");
        var tags = ctx.Request.Query["tag"].Where(t => t is not null).Cast<string>().ToList();
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.ServiceTables, s =>
        {
            var all = CatalogReads.ServiceInstances(s, name, withChecks: false);
            var matching = all.Value.Where(i => tags.All(t => i.Service.Tags.Contains(t)) && opts.MatchesNodeMeta(i.Node.Meta));
            var filtered = ApiFilter.Apply(matching.Select(i => (Instance: i, Json: CatalogServiceJson.From(i.Node, i.Service))), x => x.Json, opts);
            var visible = AclFilters.Keep(filtered, x => AclFilters.CanReadInstance(authz, x.Instance.Node, x.Instance.Service), out removed);
            NearSort.Apply(api, s, opts, visible, x => x.Instance.Node.Name);
            return new QueryResult<List<CatalogServiceJson>>(all.Index, visible.Select(x => x.Json).ToList(), all.Fingerprint);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task Node(HttpContext ctx, ApiContext api, string? node)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.ServiceTables, s =>
        {
            var all = CatalogReads.NodeServices(s, node);
            var (n, services) = all.Value;
            CatalogNodeJson? json = null;
            removed = false;
            if (n is not null && !authz.NodeRead(n.Name)) removed = true; // a node the token cannot read looks absent
            else if (n is not null)
            {
                var byId = ApiFilter.Apply(services.ToDictionary(x => x.ID, NodeServiceJson.From, StringComparer.Ordinal), opts);
                json = new CatalogNodeJson(n, AclFilters.Keep(byId, x => AclFilters.AllowService(authz, x.Service), out removed));
            }
            return new QueryResult<CatalogNodeJson?>(all.Index, json, all.Fingerprint);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        // Consul answers an unknown node with a JSON null.
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task NodeServiceList(HttpContext ctx, ApiContext api, string? node)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, CatalogReads.ServiceTables, s =>
        {
            var all = CatalogReads.NodeServices(s, node);
            var (n, services) = all.Value;
            CatalogNodeServiceListJson? json = null;
            removed = false;
            if (n is not null && !authz.NodeRead(n.Name)) removed = true;
            else if (n is not null)
            {
                var listed = ApiFilter.Apply(services.Select(NodeServiceJson.From), opts);
                json = new CatalogNodeServiceListJson(n, AclFilters.Keep(listed, x => AclFilters.AllowService(authz, x.Service), out removed));
            }
            return new QueryResult<CatalogNodeServiceListJson?>(all.Index, json, all.Fingerprint);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }
}
