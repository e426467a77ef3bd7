using System.Text.Json;
using Consul.Core.Acl;
using Consul.Core.Queries;
using Consul.Core.State;
using Consul.Core.Util;

namespace Consul.Agent.Http;

/// <summary>/v1/query/* — prepared queries: create, list, read, update, delete, execute, explain.</summary>
public static class PreparedQueryEndpoints
{
    /// <summary>What a stored token reads as to callers without acl:write (Consul's redactedToken).</summary>
    public const string RedactedToken = "<hidden>";
    private const string NotFoundText = "Query not found";
    private static readonly string[] WatchTables = [Tables.PreparedQueries];

    public static void MapPreparedQueryEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/query", Create);
        app.MapGet("/v1/query", List);
        app.MapGet("/v1/query/{id}", Get);
        app.MapPut("/v1/query/{id}", Update);
        app.MapDelete("/v1/query/{id}", Delete);
        app.MapGet("/v1/query/{id}/execute", Execute);
        app.MapGet("/v1/query/{id}/explain", Explain);
    }

    private static async Task Create(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var query = await ReadQuery(ctx);
        if (query.ID != "") throw Rejected("ID must be empty when creating a new prepared query");
        var snap = api.Store.Current;
        var id = Guid.NewGuid().ToString();
        while (snap.PreparedQueries.ContainsKey(id)) id = Guid.NewGuid().ToString();
        query = query with { ID = id };
        await Apply(ctx, api, PreparedQueryCommand.Create, query);
        await ApiResponses.WriteJson(ctx, api, new Dictionary<string, string> { ["ID"] = id });
    }

    private static async Task Update(HttpContext ctx, ApiContext api, string id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        // The URL names the query; an ID in the body is overridden (Consul's preparedQueryUpdate).
        var query = await ReadQuery(ctx) with { ID = id };
        await Apply(ctx, api, PreparedQueryCommand.Update, query);
    }

    private static async Task Delete(HttpContext ctx, ApiContext api, string id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        await Apply(ctx, api, PreparedQueryCommand.Delete, new PreparedQuery { ID = id });
    }

    /// <summary>Consul's PreparedQuery.Apply: ACL checks on the proposed and the existing query, parseQuery, then the log.</summary>
    private static async Task Apply(HttpContext ctx, ApiContext api, string verb, PreparedQuery query)
    {
        var authz = AclFilters.Authz(ctx, api);
        if (verb != PreparedQueryCommand.Delete && query.TryGetAclPrefix(out var proposed))
            if (!authz.PreparedQueryWrite(proposed)) throw Denied();
        if (verb != PreparedQueryCommand.Create)
        {
            if (!api.Store.Current.PreparedQueries.TryGetValue(query.ID, out var existing))
                throw Rejected($"Cannot modify non-existent prepared query: '{query.ID}'");
            if (existing.TryGetAclPrefix(out var current))
                if (!authz.PreparedQueryWrite(current)) throw Denied();
        }
        if (verb != PreparedQueryCommand.Delete && Parse(query) is { } invalid)
            throw Rejected($"Invalid prepared query: {invalid}");
        var result = await api.Log.ApplyAsync(new PreparedQueryCommand { Verb = verb, Query = query }, ctx.RequestAborted);
        if (!result.Ok) throw Rejected(result.Error!);
    }

    /// <summary>Consul's parseQuery: the checks that need no state.</summary>
    private static string? Parse(PreparedQuery q)
    {
        if (q.Name == "" && q.Template.Type == "" && q.Session == "") return "Must be bound to a session";
        if (q.Token == RedactedToken)
            return $"Bad Token '{q.Token}', it looks like a query definition with a redacted token was submitted";
        if (q.Service.Service == "") return "Must provide a Service name to query";
        if (q.Service.Failover.NearestN < 0) return $"Bad NearestN '{q.Service.Failover.NearestN}', must be >= 0";
        if (q.DNS.TTL != "")
        {
            if (!GoDuration.TryParse(q.DNS.TTL, out var ttl)) return $"Bad DNS TTL '{q.DNS.TTL}': time: invalid duration \"{q.DNS.TTL}\"";
            if (ttl < TimeSpan.Zero) return $"DNS TTL '{ttl.Ticks * 100}', must be >=0";
        }
        return null;
    }

    private static async Task List(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, WatchTables, s =>
        {
            var visible = Visible(authz, s.PreparedQueries.Values);
            removed = visible.Count < s.PreparedQueries.Count;
            return new QueryResult<List<PreparedQuery>>(s.TableIndex(Tables.PreparedQueries), visible);
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }

    private static async Task Get(HttpContext ctx, ApiContext api, string id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var r = await ApiResponses.Read(ctx, api, opts, WatchTables, s =>
        {
            s.PreparedQueries.TryGetValue(id, out var q);
            return new QueryResult<PreparedQuery?>(s.TableIndex(Tables.PreparedQueries), q);
        });
        if (r.Value is not { } query) throw ApiException.NotFound(NotFoundText);
        // A query with no ACL prefix is readable by anyone who knows its ID; others need query:read.
        if (query.TryGetAclPrefix(out var prefix) && !authz.ACLWrite() && !authz.PreparedQueryRead(prefix)) throw Denied();
        await ApiResponses.WriteJson(ctx, api, new List<PreparedQuery> { Redact(authz, query) });
    }

    private static async Task Explain(HttpContext ctx, ApiContext api, string id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        await ApiResponses.ReadBarrierAsync(ctx, api, opts);
        var snap = api.Store.Current;
        var query = PreparedQueryLookup.Resolve(snap, id) ?? throw ApiException.NotFound(NotFoundText);
        if (Visible(authz, [query]).FirstOrDefault() is not { } shown)
            throw Denied();
        // Not a blocking read; Consul never sends an index of 0 (a client would spin on ?index=0).
        ApiResponses.SetMeta(ctx, api, 1, opts.Consistency);
        await ApiResponses.WriteJson(ctx, api, new Dictionary<string, PreparedQuery> { ["Query"] = shown });
    }

    private static async Task Execute(HttpContext ctx, ApiContext api, string id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var q = ctx.Request.Query;
        var limit = 0;
        if (q["limit"].ToString() is { Length: > 0 } rawLimit && !int.TryParse(rawLimit, out limit))
            throw ApiException.BadRequest($"Bad limit: strconv.Atoi: parsing \"{rawLimit}\": invalid syntax");
        await ApiResponses.ReadBarrierAsync(ctx, api, opts);
        var snap = api.Store.Current;
        var query = PreparedQueryLookup.Resolve(snap, id) ?? throw ApiException.NotFound(NotFoundText);
        // The query's own token, when it has one, decides what the results may show (the caller's is not used).
        var authz = query.Token != "" ? api.Acl.Resolve(query.Token) : AclFilters.Authz(ctx, api);
        var near = opts.Near is { Length: > 0 } n ? n : query.Service.Near;
        if (near == "_agent") near = api.Config.NodeName;
        // "_ip": the node whose address is the caller's, if any.
        if (near == "_ip")
            near = ctx.Connection.RemoteIpAddress?.ToString() is { } ip
                ? snap.Nodes.Values.FirstOrDefault(x => x.Address == ip)?.Name ?? ""
                : "";
        var result = PreparedQueryExecution.Execute(snap, query, api.Config.Datacenter,
            (node, svc) => AclFilters.CanReadInstance(authz, node, svc), Random.Shared, near, limit);
        if (ctx.RequestServices.GetService<QueryFailoverSource>() is { } failover)
        {
            var token = query.Token != "" ? query.Token : QueryOptions.ParseToken(ctx.Request) is { Length: > 0 } t ? t : api.Acl.Tokens.Default;
            result = await failover.RunAsync(result, query, token, limit, ctx.RequestAborted);
        }
        // Not a blocking read; Consul never sends an index of 0 (a client would spin on ?index=0).
        ApiResponses.SetMeta(ctx, api, 1, opts.Consistency);
        await ApiResponses.WriteJson(ctx, api, new PreparedQueryExecuteJson(
            result.Service,
            result.Nodes.Select(i => new ServiceEntryJson(i.Node, NodeServiceJson.From(i.Service), HealthCheckJson.List(i.Checks))).ToList(),
            result.DNS, result.Datacenter, result.Failovers));
    }

    /// <summary>
    /// Consul's filterPreparedQueries: acl:write sees everything; others see queries whose
    /// prefix they may query:read (never prefix-less ones), with the stored token hidden.
    /// </summary>
    private static List<PreparedQuery> Visible(Authorizer authz, IEnumerable<PreparedQuery> queries)
    {
        if (authz.ACLWrite()) return queries.ToList();
        return queries.Where(q => q.TryGetAclPrefix(out var prefix) && authz.PreparedQueryRead(prefix))
            .Select(q => Redact(authz, q)).ToList();
    }

    private static PreparedQuery Redact(Authorizer authz, PreparedQuery q) =>
        q.Token == "" || authz.ACLWrite() ? q : q with { Token = RedactedToken };

    private static async Task<PreparedQuery> ReadQuery(HttpContext ctx)
    {
        using var body = await ApiResponses.ReadOptionalJson(ctx);
        if (body is null) return new PreparedQuery();
        if (body.RootElement.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("Request decode failed: body must be a JSON object");
        try
        {
            return body.RootElement.Deserialize<PreparedQuery>(ApiJson.ModelInput) ?? new PreparedQuery();
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"Request decode failed: {e.Message.Replace('\n', ' ')}");
        }
    }

    /// <summary>Consul answers every prepared-query denial with the bare acl.ErrPermissionDenied.</summary>
    private static ApiException Denied() => new(StatusCodes.Status403Forbidden, AclErrors.PermissionDenied);

    // Consul passes PreparedQuery.Apply's errors through as 500s; they are client mistakes, so (as
    // for sessions) this agent answers 400 with Consul's text.
    private static ApiException Rejected(string message) => ApiException.BadRequest(message);
}

/// <summary>Consul's PreparedQueryExecuteResponse as the HTTP API writes it.</summary>
public sealed record PreparedQueryExecuteJson(string Service, List<ServiceEntryJson> Nodes, QueryDns DNS, string Datacenter, int Failovers);
