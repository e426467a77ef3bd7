using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// What every /v1/acl endpoint shares: the "ACL support disabled" answer, the acl:read /
/// acl:write checks on the request's token, and turning a rejected write into an HTTP error.
/// </summary>
internal static class AclHttp
{
    /// <summary>Consul's checkACLDisabled: 401 with this text on every ACL endpoint.</summary>
    public static void RequireEnabled(ApiContext api)
    {
        if (!api.Acl.Enabled) throw new ApiException(StatusCodes.Status401Unauthorized, AclErrors.Disabled);
    }

    /// <summary>The request's authorizer after checking it may read ACLs (403 with Consul's text otherwise).</summary>
    public static Authorizer RequireRead(HttpContext ctx, ApiContext api)
    {
        var authz = api.Acl.ForRequest(ctx);
        Authorizer.Require(authz.ACLReadAllowed());
        return authz;
    }

    public static Authorizer RequireWrite(HttpContext ctx, ApiContext api)
    {
        var authz = api.Acl.ForRequest(ctx);
        Authorizer.Require(authz.ACLWriteAllowed());
        return authz;
    }

    /// <summary>The secret the request acts with, as Consul's parseToken: ?token, header, else the agent's default token.</summary>
    public static string RequestSecret(HttpContext ctx, ApiContext api) =>
        QueryOptions.ParseToken(ctx.Request) is { Length: > 0 } t ? t : api.Acl.Tokens.Default;

    /// <summary>
    /// A write the server refused (Consul's RPC errors). Consul answers these with a 500; they are
    /// the client's mistakes, so this agent says 400 with the same text (as the session endpoints do).
    /// </summary>
    public static ApiException Rejected(string message) => ApiException.BadRequest(message);

    /// <summary>Sends a command through the log; a state-level refusal becomes <see cref="Rejected"/> with Consul's wrapping.</summary>
    public static async Task ApplyAsync(ApiContext api, AclCommand command, string failurePrefix, CancellationToken ct)
    {
        var result = await api.Log.ApplyAsync(command, ct);
        if (!result.Ok) throw Rejected($"{failurePrefix}: {result.Error}");
    }

    /// <summary>Secrets are shown only to tokens with acl:write (Consul's aclfilter redaction).</summary>
    public const string RedactedSecret = PreparedQueryEndpoints.RedactedToken;

    public static bool IsUuid(string? s) => Guid.TryParseExact(s, "D", out _);

    /// <summary>A fresh random UUID in Consul's lowercase 8-4-4-4-12 form (cryptographically random: it may become a secret).</summary>
    public static string NewUuid(Func<string, bool> inUse)
    {
        while (true)
        {
            var id = Guid.NewGuid().ToString("D");
            if (!AclBuiltins.IsReservedId(id) && !inUse(id)) return id;
        }
    }

    /// <summary>404 for a read of something that does not exist (acl.ACLResourceNotExistError).</summary>
    public static ApiException NotExist(string what) => ApiException.NotFound($"Requested {what} does not exist: {AclErrors.NotFound}");

    /// <summary>
    /// A blocking read of the ACL tables whose answer is never reused from the response cache: it
    /// depends on more than the state index (the agent's default token, expiry times, redaction).
    /// </summary>
    public static async Task<QueryResult<T>> Read<T>(HttpContext ctx, ApiContext api, QueryOptions opts, string[] tables,
        Func<StateSnapshot, QueryResult<T>> query)
    {
        var result = await ApiResponses.Read(ctx, api, opts, tables, query);
        ctx.Items.Remove(ResponseCache.StateIndexKey);
        return result;
    }

    /// <summary>
    /// GET of one policy or role (by ID or name): the acl:read check, a blocking read of the kind's
    /// table, and a 404 "Requested policy does not exist" when there is none.
    /// </summary>
    public static async Task<T> ReadOneAsync<T>(HttpContext ctx, ApiContext api, string[] tables, string table, string what,
        Func<StateSnapshot, T?> find) where T : class
    {
        RequireEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        RequireRead(ctx, api);
        var r = await Read(ctx, api, opts, tables, s => new QueryResult<T?>(s.TableIndex(table), find(s)));
        return r.Value ?? throw NotExist(what);
    }

    /// <summary>The list endpoints of policies and roles: acl:read, a blocking read of the table, ?filter applied.</summary>
    public static async Task WriteListAsync<T>(HttpContext ctx, ApiContext api, string[] tables, string table,
        Func<StateSnapshot, List<T>> list)
    {
        RequireEnabled(api);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        RequireRead(ctx, api);
        var r = await Read(ctx, api, opts, tables, s => new QueryResult<List<T>>(s.TableIndex(table), list(s)));
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(r.Value, opts));
    }

    /// <summary>The /name/{**name} route value, unescaped; 400 "Missing policy Name" when empty.</summary>
    public static string RequireName(ApiContext api, string? name, string what)
    {
        RequireEnabled(api);
        var unescaped = UnescapeName(name);
        return unescaped != "" ? unescaped : throw ApiException.BadRequest($"Missing {what} Name");
    }

    /// <summary>Go's omitempty: an empty list is left out like an absent one.</summary>
    public static IReadOnlyList<T>? NullIfEmpty<T>(IReadOnlyList<T>? list) => list is { Count: > 0 } ? list : null;

    public static string UnescapeName(string? name) => Uri.UnescapeDataString(name ?? "");
}
