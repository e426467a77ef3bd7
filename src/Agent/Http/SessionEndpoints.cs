using System.Text.Json;
using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;
using Consul.Core.Util;

namespace Consul.Agent.Http;

/// <summary>/v1/session/* — create, destroy, info, node, list, renew.</summary>
public static class SessionEndpoints
{
    /// <summary>session_ttl_min's default.</summary>
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    public static void MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/session/create", Create);
        app.MapPut("/v1/session/destroy/{**id}", Destroy);
        app.MapPut("/v1/session/renew/{**id}", Renew);
        app.MapGet("/v1/session/info/{**id}", Info);
        app.MapGet("/v1/session/node/{**node}", OnNode);
        app.MapGet("/v1/session/list", List);
    }

    private static async Task Create(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var session = new Session
        {
            ID = Guid.NewGuid().ToString(),
            Node = api.Config.NodeName,
            NodeChecks = ["serfHealth"],
        };
        using var body = await ApiResponses.ReadOptionalJson(ctx);
        if (body?.RootElement is { ValueKind: JsonValueKind.Object } b) session = Decode(b, session);
        else if (body?.RootElement is { ValueKind: not JsonValueKind.Null }) throw ApiException.BadRequest("Request decode failed: body must be a JSON object");
        Validate(ref session, AclFilters.Authz(ctx, api), api.Config.SessionTtlMin > TimeSpan.Zero ? api.Config.SessionTtlMin : MinTtl);
        var result = await api.Log.ApplyAsync(new SessionCommand { Verb = SessionCommand.Create, Session = session }, ctx.RequestAborted);
        if (!result.Ok) throw ApiException.BadRequest(result.Error!);
        api.SessionTimers.Reset(session);
        await ApiResponses.WriteJson(ctx, api, new Dictionary<string, string> { ["ID"] = session.ID });
    }

    // Consul's Session.Apply checks, in its order: node, behavior (empty means release), then
    // TTL. Consul answers them with a 500; they are client mistakes, so this agent says 400.
    // session:write on the session's node comes between the node and behavior checks.
    private static void Validate(ref Session session, Authorizer authz, TimeSpan minTtl)
    {
        if (session.Node == "") throw ApiException.BadRequest("Must provide Node");
        Authorizer.Require(authz.SessionWriteAllowed(session.Node));
        if (session.Behavior == "") session = session with { Behavior = SessionBehavior.Release };
        if (session.Behavior is not (SessionBehavior.Release or SessionBehavior.Delete))
            throw ApiException.BadRequest($"Invalid Behavior setting '{session.Behavior}'");
        if (session.TTL == "") return;
        if (!GoDuration.TryParse(session.TTL, out var ttl))
            throw ApiException.BadRequest($"Session TTL '{session.TTL}' invalid: time: invalid duration \"{session.TTL}\"");
        if (ttl != TimeSpan.Zero && (ttl < minTtl || ttl > MaxTtl))
            throw ApiException.BadRequest($"Invalid Session TTL '{ttl.Ticks * 100}', must be between [{GoDuration.Format(minTtl)}={GoDuration.Format(MaxTtl)}]");
    }

    // Consul's decoding: LockDelay as a duration string, or a number (seconds below 1000, else ns);
    // "Checks" is the older name of NodeChecks.
    private static Session Decode(JsonElement b, Session s)
    {
        foreach (var p in b.EnumerateObject())
        {
            switch (p.Name.ToLowerInvariant())
            {
                case "name": s = s with { Name = Str(p) }; break;
                case "node": s = s with { Node = Str(p) }; break;
                case "behavior": s = s with { Behavior = Str(p) }; break;
                case "ttl": s = s with { TTL = Str(p) }; break;
                case "lockdelay": s = s with { LockDelay = LockDelayNanos(p.Value) }; break;
                case "checks" or "nodechecks": s = s with { NodeChecks = StrList(p) }; break;
                case "servicechecks":
                    s = s with
                    {
                        ServiceChecks = p.Value.ValueKind == JsonValueKind.Null ? null
                            : p.Value.ValueKind != JsonValueKind.Array
                                ? throw ApiException.BadRequest($"Request decode failed: '{p.Name}' expected a list of objects")
                                : p.Value.EnumerateArray().Select(e => e.ValueKind != JsonValueKind.Object
                                    ? throw ApiException.BadRequest($"Request decode failed: '{p.Name}' expected a list of objects")
                                    : new SessionServiceCheck
                                    {
                                        ID = e.TryGetProperty("ID", out var id) ? Text(id, "ServiceChecks.ID") : "",
                                        Namespace = e.TryGetProperty("Namespace", out var ns) ? Text(ns, "ServiceChecks.Namespace") : "",
                                    }).ToList(),
                    };
                    break;
            }
        }
        return s;
    }

    private static string Str(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.String => p.Value.GetString()!,
        JsonValueKind.Null => "",
        _ => throw ApiException.BadRequest($"Request decode failed: '{p.Name}' expected type 'string', got '{p.Value.ValueKind.ToString().ToLowerInvariant()}'"),
    };

    private static string Text(JsonElement e, string name) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.Null => "",
        _ => throw ApiException.BadRequest($"Request decode failed: '{name}' expected type 'string', got '{e.ValueKind.ToString().ToLowerInvariant()}'"),
    };

    private static List<string> StrList(JsonProperty p) => p.Value.ValueKind switch
    {
        JsonValueKind.Array => p.Value.EnumerateArray().Select(e => Text(e, p.Name)).ToList(),
        JsonValueKind.Null => [],
        _ => throw ApiException.BadRequest($"Request decode failed: '{p.Name}' expected a list of strings"),
    };

    private static long LockDelayNanos(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                var n = v.GetDouble();
                return n < 1000 ? (long)(n * 1_000_000_000) : (long)n;
            case JsonValueKind.String when GoDuration.TryParse(v.GetString(), out var d):
                return d.Ticks * 100;
            default:
                throw ApiException.BadRequest($"Request decode failed: invalid LockDelay {v}");
        }
    }

    private static async Task Destroy(HttpContext ctx, ApiContext api, string? id)
    {
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing session");
        // Destroying needs session:write on the session's node; an unknown session is a no-op.
        var authz = AclFilters.Authz(ctx, api);
        // The leader's read point first: on a client agent a session made elsewhere a moment ago
        // must not skip this check by being missing from the replica (Consul checks on the leader).
        await api.Log.DefaultReadBarrierAsync(ctx.RequestAborted);
        if (api.Store.Current.Sessions.TryGetValue(id, out var existing))
            Authorizer.Require(authz.SessionWriteAllowed(existing.Node));
        var result = await api.Log.ApplyAsync(new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = id } }, ctx.RequestAborted);
        if (!result.Ok) throw new ApiException(StatusCodes.Status500InternalServerError, result.Error!);
        api.SessionTimers.Remove(id);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static async Task Renew(HttpContext ctx, ApiContext api, string? id)
    {
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing session");
        var authz = AclFilters.Authz(ctx, api);
        // As Consul's Session.Renew on the leader: a session made elsewhere a moment ago is found.
        await api.Log.DefaultReadBarrierAsync(ctx.RequestAborted);
        var snap = api.Store.Current;
        if (!snap.Sessions.TryGetValue(id, out var session))
            throw ApiException.NotFound($"Session id '{id}' not found");
        Authorizer.Require(authz.SessionWriteAllowed(session.Node));
        api.SessionTimers.Reset(session);
        ApiResponses.SetMeta(ctx, api, snap.TableIndex(Tables.Sessions), ReadConsistency.Default);
        await ApiResponses.WriteJson(ctx, api, new List<Session> { session });
    }

    // Reads drop sessions whose node the token may not session:read (filterSessions).

    private static async Task Info(HttpContext ctx, ApiContext api, string? id)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing session");
        await FilteredRead(ctx, api, opts, s => SessionReads.Get(s, id));
    }

    private static async Task OnNode(HttpContext ctx, ApiContext api, string? node)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        if (string.IsNullOrEmpty(node)) throw ApiException.BadRequest("Missing node name");
        await FilteredRead(ctx, api, opts, s => SessionReads.OnNode(s, node));
    }

    private static async Task List(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        await FilteredRead(ctx, api, opts, SessionReads.List);
    }

    private static async Task FilteredRead(HttpContext ctx, ApiContext api, QueryOptions opts, Func<StateSnapshot, QueryResult<List<Session>>> read)
    {
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        var r = await ApiResponses.Read(ctx, api, opts, SessionReads.WatchTables, s =>
        {
            var all = read(s);
            return all with { Value = AclFilters.Sessions(authz, all.Value, out removed) };
        });
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, r.Value);
    }
}
