using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>/v1/kv/:key — get (raw, recurse, keys, separator), put (flags, cas), delete (recurse, cas).</summary>
public static class KvEndpoints
{
    /// <summary>limits.kv_max_value_size (<see cref="LimitsConfig.DefaultRequestBytes"/> unless set).</summary>
    public static long MaxValueSize(ApiContext api) => api.Config.Limits.KvMaxValueSize;

    public static void MapKvEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v1/kv/{**key}", ["GET"], Get);
        app.MapMethods("/v1/kv/{**key}", ["PUT"], Put);
        app.MapMethods("/v1/kv/{**key}", ["DELETE"], Delete);
    }

    private static string KeyOf(HttpContext ctx)
    {
        // The key is everything after /v1/kv/, unescaped exactly once, as Go's URL.Path gives it.
        // Request.Path is already decoded (except %2F), so decode the raw target instead when we have it.
        const string prefix = "/v1/kv/";
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            var query = raw.IndexOf('?');
            var rawKey = query < 0 ? raw[prefix.Length..] : raw[prefix.Length..query];
            return Uri.UnescapeDataString(rawKey);
        }
        // Without a raw target (in-process test server), Path holds everything decoded but %2F.
        var path = ctx.Request.Path.Value ?? "";
        return path.Length > prefix.Length
            ? path[prefix.Length..].Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            : "";
    }

    private static async Task Get(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var key = KeyOf(ctx);
        var q = ctx.Request.Query;
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        if (q.ContainsKey("keys"))
        {
            var separator = q.ContainsKey("separator") ? q["separator"].ToString() : q.ContainsKey("seperator") ? q["seperator"].ToString() : null;
            if (api.Config.Acl.EnableKeyListPolicy) Authorizer.Require(authz.KeyListAllowed(key));
            // Keys come from the entries the token may read (KVS.ListKeys filters before rolling up).
            var keys = await ApiResponses.Read(ctx, api, opts, KVReads.WatchTables, s =>
            {
                var all = KVReads.List(s, key);
                var visible = AclFilters.Entries(authz, all.Value, out removed);
                return new QueryResult<List<string>>(all.Index, KVReads.RollUp(visible, key, separator), all.Fingerprint);
            });
            AclFilters.MarkFiltered(ctx, api, removed);
            // No 404 for the root: an empty list instead.
            if (keys.Value.Count == 0 && key != "") { ctx.Response.StatusCode = 404; return; }
            await ApiResponses.WriteJson(ctx, api, keys.Value);
            return;
        }
        if (q.ContainsKey("recurse"))
        {
            if (api.Config.Acl.EnableKeyListPolicy) Authorizer.Require(authz.KeyListAllowed(key));
            var list = await ApiResponses.Read(ctx, api, opts, KVReads.WatchTables, s =>
            {
                var all = KVReads.List(s, key);
                return all with { Value = AclFilters.Entries(authz, all.Value, out removed) };
            });
            AclFilters.MarkFiltered(ctx, api, removed);
            if (list.Value.Count == 0) { ctx.Response.StatusCode = 404; return; }
            await ApiResponses.WriteJson(ctx, api, list.Value);
            return;
        }
        if (key == "") throw ApiException.BadRequest("Missing key name");
        // KVS.Get refuses a key the token may not read, whether or not it exists.
        var one = await ApiResponses.Read(ctx, api, opts, KVReads.WatchTables, s =>
        {
            Authorizer.Require(authz.KeyReadAllowed(key));
            return KVReads.Get(s, key);
        });
        if (one.Value is null) { ctx.Response.StatusCode = 404; return; }
        if (q.ContainsKey("raw"))
        {
            var body = one.Value.Value ?? [];
            ctx.Response.ContentType = "text/plain";
            ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
            ctx.Response.Headers.ContentSecurityPolicy = "sandbox";
            ctx.Response.ContentLength = body.Length;
            await ctx.Response.Body.WriteAsync(body);
            return;
        }
        await ApiResponses.WriteJson(ctx, api, new List<KVEntry> { one.Value });
    }

    private static async Task Put(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var key = KeyOf(ctx);
        if (key == "") throw ApiException.BadRequest("Missing key name");
        var q = ctx.Request.Query;
        RejectConflicting(ctx, "cas", "acquire", "release");
        var verb = KVOps.Set;
        ulong flags = 0, cas = 0;
        string? session = null;
        if (q.ContainsKey("flags")) flags = ParseUInt(q["flags"].ToString(), "flags");
        if (q.ContainsKey("cas")) { cas = ParseUInt(q["cas"].ToString(), "cas"); verb = KVOps.Cas; }
        if (q.ContainsKey("acquire")) { session = q["acquire"].ToString(); verb = KVOps.Lock; }
        if (q.ContainsKey("release")) { session = q["release"].ToString(); verb = KVOps.Unlock; }

        var value = await ReadValue(ctx, MaxValueSize(api));
        // kvsPreApply: every write verb (set, cas, lock, unlock) needs key:write.
        Authorizer.Require(AclFilters.Authz(ctx, api).KeyWriteAllowed(key));
        // A key in its lock-delay cannot be acquired yet (Consul checks this before applying).
        if (verb == KVOps.Lock && api.LockDelays.DelayedUntil(key) is not null)
        {
            await ApiResponses.WriteJson(ctx, api, false);
            return;
        }
        var result = await api.Log.ApplyAsync(new KVCommand { Verb = verb, Key = key, Flags = flags, Value = value, ModifyIndex = cas, Session = session }, ctx.RequestAborted);
        // Consul answers these KVS.Apply errors (e.g. an unknown session on acquire) with a 500;
        // they are the client's mistake, so this agent says 400 with the same message.
        if (!result.Ok) throw ApiException.BadRequest(result.Error!);
        await ApiResponses.WriteJson(ctx, api, verb == KVOps.Set || result.Value is true);
    }

    private static async Task Delete(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        RejectConflicting(ctx, "recurse", "cas");
        var key = KeyOf(ctx);
        var q = ctx.Request.Query;
        var verb = KVOps.Delete;
        ulong cas = 0;
        if (q.ContainsKey("recurse")) verb = KVOps.DeleteTree;
        else if (key == "") throw ApiException.BadRequest("Missing key name");
        if (q.ContainsKey("cas")) { cas = ParseUInt(q["cas"].ToString(), "cas"); verb = KVOps.DeleteCas; }
        // kvsPreApply: a tree delete needs write on everything under the prefix, others key:write.
        var authz = AclFilters.Authz(ctx, api);
        Authorizer.Require(verb == KVOps.DeleteTree ? authz.KeyWritePrefixAllowed(key) : authz.KeyWriteAllowed(key));
        var result = await api.Log.ApplyAsync(new KVCommand { Verb = verb, Key = key, ModifyIndex = cas }, ctx.RequestAborted);
        if (!result.Ok) throw new ApiException(500, result.Error!);
        await ApiResponses.WriteJson(ctx, api, verb != KVOps.DeleteCas || result.Value is true);
    }

    private static void RejectConflicting(HttpContext ctx, params string[] names)
    {
        if (names.Count(n => ctx.Request.Query.ContainsKey(n)) > 1)
            throw ApiException.BadRequest("Conflicting flags: " + GoQuery.Encode(ctx.Request.Query));
    }

    private static ulong ParseUInt(string text, string name) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw ApiException.BadRequest($"Invalid {name} value: strconv.ParseUint: parsing \"{text}\": invalid syntax");

    private static async Task<byte[]?> ReadValue(HttpContext ctx, long max)
    {
        var declared = ctx.Request.ContentLength;
        if (declared > max) throw TooLarge(declared.Value, max);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) throw TooLarge(buffer.Length, max);
        }
        // An empty body stores no value (null), as Consul does.
        return buffer.Length == 0 ? null : buffer.ToArray();
    }

    private static ApiException TooLarge(long size, long max) => new(StatusCodes.Status413RequestEntityTooLarge,
        $"Request body({size} bytes) too large, max size: {max} bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");
}
