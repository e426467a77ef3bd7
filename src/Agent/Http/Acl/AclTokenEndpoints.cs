using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>/v1/acl/token, /v1/acl/token/:AccessorID[/clone], /v1/acl/token/self, /v1/acl/tokens.</summary>
public static class AclTokenEndpoints
{
    private const string DecodeFailure = "Token decoding failed";

    public static void MapAclTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/acl/token", Create);
        app.MapGet("/v1/acl/token/self", Self);
        app.MapPut("/v1/acl/token/{id}/clone", Clone);
        app.MapGet("/v1/acl/token/{id}", Read);
        app.MapPut("/v1/acl/token/{id}", Update);
        app.MapDelete("/v1/acl/token/{id}", Delete);
        app.MapGet("/v1/acl/tokens", List);
    }

    private static Task Create(HttpContext ctx, ApiContext api) =>
        Write(ctx, api, body => body, (writer, body, ct) => writer.CreateAsync(body, ct));

    private static Task Update(HttpContext ctx, ApiContext api, string id) =>
        Write(ctx, api, body => body.AccessorID == "" || body.AccessorID == id
                ? body with { AccessorID = id }
                : throw ApiException.BadRequest("Token Accessor ID in URL and payload do not match"),
            (writer, body, ct) => writer.UpdateAsync(body, ct));

    private static Task Clone(HttpContext ctx, ApiContext api, string id) =>
        Write(ctx, api, body => body, (writer, body, ct) => writer.CloneAsync(id, body.Description, ct));

    // Create, update and clone: decode, check the body against the route (before acl:write, as Consul does), write, show the stored token.
    private static async Task Write(HttpContext ctx, ApiContext api, Func<AclToken, AclToken> checkBody,
        Func<AclTokenWriter, AclToken, CancellationToken, Task<AclToken>> write)
    {
        AclHttp.RequireEnabled(api);
        var body = checkBody(await ReadToken(ctx));
        AclHttp.RequireWrite(ctx, api);
        var stored = await write(new AclTokenWriter(api), body, ctx.RequestAborted);
        await ApiResponses.WriteJson(ctx, api, AclTokenJson.From(stored));
    }

    private static async Task Delete(HttpContext ctx, ApiContext api, string id)
    {
        AclHttp.RequireEnabled(api);
        AclHttp.RequireWrite(ctx, api);
        await new AclTokenWriter(api).DeleteAsync(id, AclHttp.RequestSecret(ctx, api), ctx.RequestAborted);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static async Task Read(HttpContext ctx, ApiContext api, string id)
    {
        AclHttp.RequireEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclHttp.RequireRead(ctx, api);
        var found = await ReadLive(ctx, api, opts, s => AclReads.TokenByAccessor(s, id)) ?? throw AclHttp.NotExist("token");
        var token = Redact(found, authz.ACLWrite());
        if (ctx.Request.Query.ContainsKey("expanded"))
            await ApiResponses.WriteJson(ctx, api, AclTokenExpanded.From(api.Store.Current, token, api));
        else
            await ApiResponses.WriteJson(ctx, api, AclTokenJson.From(token));
    }

    /// <summary>The token the request carries, looked up by its secret: no ACL permission needed.</summary>
    private static async Task Self(HttpContext ctx, ApiContext api)
    {
        AclHttp.RequireEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var secret = AclHttp.RequestSecret(ctx, api);
        var token = await ReadLive(ctx, api, opts, s => AclReads.TokenBySecret(s, secret))
            ?? throw ApiException.NotFound("Supplied token does not exist");
        await ApiResponses.WriteJson(ctx, api, AclTokenJson.From(token));
    }

    private static async Task List(HttpContext ctx, ApiContext api)
    {
        AclHttp.RequireEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var q = ctx.Request.Query;
        var filter = new AclTokenListFilter(q["policy"].ToString(), q["role"].ToString(), q["authmethod"].ToString(), q["servicename"].ToString());
        var authz = AclHttp.RequireRead(ctx, api);
        if (filter.Conflicting) throw AclHttp.Rejected("can only filter by one of policy, role, serviceName, or methodName at a time");
        var now = api.Time.GetUtcNow();
        var showSecrets = authz.ACLWrite();
        var r = await AclHttp.Read(ctx, api, opts, AclReads.TokenTables, s =>
            new QueryResult<List<AclTokenListStub>>(s.TableIndex(Tables.AclTokens), AclReads.Tokens(s)
                .Where(t => !t.IsExpired(now) && filter.Matches(t))
                .Select(t => AclTokenListStub.From(Redact(t, showSecrets)))
                .ToList()));
        await ApiResponses.WriteJson(ctx, api, AclTokenJson.From(ApiFilter.Apply(r.Value, opts)));
    }

    /// <summary>A blocking read of one token; an expired one counts as absent.</summary>
    private static async Task<AclToken?> ReadLive(HttpContext ctx, ApiContext api, QueryOptions opts, Func<StateSnapshot, AclToken?> find)
    {
        var now = api.Time.GetUtcNow();
        var r = await AclHttp.Read(ctx, api, opts, AclReads.TokenTables, s =>
            new QueryResult<AclToken?>(s.TableIndex(Tables.AclTokens), find(s) is { } t && !t.IsExpired(now) ? t : null));
        return r.Value;
    }

    private static AclToken Redact(AclToken t, bool showSecret) => showSecret ? t : t with { SecretID = AclHttp.RedactedSecret };

    // structs.ACLToken decodes through a custom UnmarshalJSON, so unknown fields are ignored.
    private static Task<AclToken> ReadToken(HttpContext ctx) => AclJsonBody.ReadAsync<AclToken>(ctx, DecodeFailure, knownFields: null);
}

/// <summary>The ?policy=, ?role=, ?authmethod= and ?servicename= filters of the token list; Consul allows one at a time.</summary>
internal sealed record AclTokenListFilter(string Policy, string Role, string AuthMethod, string ServiceName)
{
    public bool Conflicting => new[] { Policy, Role, AuthMethod, ServiceName }.Count(v => v != "") > 1;

    public bool Matches(AclToken t) =>
        (Policy == "" || t.PolicyIDs().Contains(Policy))
        && (Role == "" || t.RoleIDs().Contains(Role))
        && (AuthMethod == "" || t.AuthMethod == AuthMethod)
        && (ServiceName == "" || (t.ServiceIdentities ?? []).Any(s => s.ServiceName == ServiceName));
}
