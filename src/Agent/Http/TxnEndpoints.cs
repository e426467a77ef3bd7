using System.Text.Json;
using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>PUT /v1/txn: KV, node, service and check operations applied atomically.</summary>
public static class TxnEndpoints
{
    /// <summary>Consul's maxTxnOps.</summary>
    public const int MaxOps = 128;
    /// <summary>Consul's txn_max_req_len default.</summary>

    /// <summary>Consul's isWrite: any other KV verb (even an unknown one) takes the read-only path.</summary>
    private static readonly HashSet<string> KvWriteVerbs = new(StringComparer.Ordinal)
        { "set", "delete", "delete-cas", "delete-tree", "cas", "lock", "unlock" };

    private static bool IsWrite(TxnOp o) => o switch
    {
        { KV: { } kv } => KvWriteVerbs.Contains(kv.Verb),
        { Node: { } n } => n.Verb != "get",
        { Service: { } sv } => sv.Verb != "get",
        { Check: { } c } => c.Verb != "get",
        _ => true,
    };

    private const string TxnLimitDocs = "https://developer.hashicorp.com/docs/agent/config/config-files#txn_max_req_len";

    public static void MapTxnEndpoints(this IEndpointRouteBuilder app) => app.MapPut("/v1/txn", Txn);

    private static async Task Txn(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        // limits.txn_max_req_len bounds the whole body, kv_max_value_size each KV value; a larger
        // kv_max_value_size also raises the body limit, as in Consul (backward compatibility).
        var kvMax = KvEndpoints.MaxValueSize(api);
        var maxBody = Math.Max(api.Config.Limits.TxnMaxReqLen, kvMax);
        if (ctx.Request.ContentLength > maxBody)
            throw new ApiException(StatusCodes.Status413RequestEntityTooLarge,
                $"Request body({ctx.Request.ContentLength} bytes) too large, max size: {maxBody} bytes. See {TxnLimitDocs}.");
        // Without a Content-Length the limit is checked while reading.
        var sizeLimit = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (sizeLimit is { IsReadOnly: false }) sizeLimit.MaxRequestBodySize = maxBody;
        JsonDocument? doc;
        try
        {
            doc = await ApiResponses.ReadOptionalJson(ctx);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new ApiException(StatusCodes.Status413RequestEntityTooLarge, $"Request body too large, max size: {maxBody} bytes. See {TxnLimitDocs}.");
        }
        using var body = doc;
        if (doc?.RootElement is not { ValueKind: JsonValueKind.Array } ops)
            throw ApiException.BadRequest("Failed to parse body: expected a JSON array of operations");
        if (ops.GetArrayLength() > MaxOps)
            throw new ApiException(StatusCodes.Status413RequestEntityTooLarge,
                $"Transaction contains too many operations ({ops.GetArrayLength()} > {MaxOps})");

        var parsed = ops.EnumerateArray().Select(ParseOp).ToList();
        foreach (var kv in parsed.Select(o => o.KV).OfType<TxnKVOp>())
            if (kv.Value is { } value && value.Length > kvMax)
                throw new ApiException(StatusCodes.Status413RequestEntityTooLarge,
                    $"Value for key \"{kv.Key}\" is too large ({value.Length} > {kvMax} bytes)");
        var readOnly = !parsed.Any(IsWrite);
        TxnOutcome outcome;
        var authz = AclFilters.Authz(ctx, api);
        var removed = false;
        // Consul's preCheck: ACL refusals, and a lock on a key in its lock-delay, fail the whole txn before it is applied.
        var preCheck = PreCheck(api, authz, parsed);
        if (preCheck.Count > 0)
        {
            outcome = new TxnOutcome(null, preCheck);
        }
        else if (readOnly)
        {
            // Reads go through the state directly (with the requested consistency), as Consul's fast path.
            await ApiResponses.ReadBarrierAsync(ctx, api, opts);
            var snap = api.Store.Current;
            outcome = StateMachine.Evaluate(snap, new TxnCommand { Ops = parsed });
            outcome = Visible(authz, outcome, out removed);
            // Read-only transactions carry LastContact and KnownLeader, but no index.
            ApiResponses.SetMeta(ctx, api, snap.LastIndex, opts.Consistency);
            ctx.Response.Headers.Remove("X-Consul-Index");
            // Only Txn.Read reports filtering (Txn.Apply has no query meta).
            AclFilters.MarkFiltered(ctx, api, removed);
        }
        else
        {
            var result = await api.Log.ApplyAsync(new TxnCommand { Ops = parsed }, ctx.RequestAborted);
            if (!result.Ok) throw new ApiException(StatusCodes.Status500InternalServerError, result.Error!);
            outcome = Visible(authz, (TxnOutcome)result.Value!, out _);
        }
        ctx.Response.StatusCode = outcome.Errors is null ? 200 : 409;
        await ApiResponses.WriteJson(ctx, api, Shape(outcome));
    }

    private static List<TxnError> PreCheck(ApiContext api, Authorizer authz, List<TxnOp> ops)
    {
        var snap = api.Store.Current;
        var errors = new List<TxnError>();
        for (var i = 0; i < ops.Count; i++)
        {
            if (TxnAcl.Vet(authz, snap, ops[i]) is { } denied) errors.Add(new TxnError(i, denied));
            else if (ops[i].KV is { Verb: "lock" } kv && api.LockDelays.DelayedUntil(kv.Key) is not null)
                errors.Add(new TxnError(i, $"failed to lock key \"{kv.Key}\" due to lock delay"));
        }
        return errors;
    }

    /// <summary>The outcome without results the token may not read.</summary>
    private static TxnOutcome Visible(Authorizer authz, TxnOutcome outcome, out bool removed)
    {
        removed = false;
        if (outcome.Results is null) return outcome;
        return outcome with { Results = AclFilters.Keep(outcome.Results, r => TxnAcl.CanRead(authz, r), out removed) };
    }

    private static TxnOp ParseOp(JsonElement op)
    {
        if (op.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("Failed to parse body: operation must be an object");
        foreach (var p in op.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Object && p.Name.ToLowerInvariant() is "kv" or "node" or "service" or "check")
                throw ApiException.BadRequest($"Failed to parse body: {p.Name} must be an object");
            switch (p.Name.ToLowerInvariant())
            {
                case "kv":
                    var v = p.Value;
                    // An unknown verb is not refused here: as in Consul, the state store reports it as a txn error (409).
                    var verb = Get(v, "Verb") ?? "";
                    byte[]? value = null;
                    if (Get(v, "Value") is { } b64)
                    {
                        try { value = Convert.FromBase64String(b64); }
                        catch (FormatException) { throw ApiException.BadRequest("Failed to parse body: Value is not valid base64"); }
                    }
                    return new TxnOp
                    {
                        KV = new TxnKVOp(verb, Get(v, "Key") ?? "", GetUInt(v, "Flags"), value, GetUInt(v, "Index"), Get(v, "Session")),
                    };
                case "node":
                    var node = Deserialize<Node>(p.Value.TryGetProperty("Node", out var n) ? n : default);
                    node = node with { Name = node.Name ?? "", Address = node.Address ?? "" };
                    return new TxnOp { Node = new TxnNodeOp(Get(p.Value, "Verb") ?? "", node) };
                case "service":
                    var svc = Deserialize<NodeService>(p.Value.TryGetProperty("Service", out var s) ? s : default);
                    svc = svc with { ID = svc.ID ?? "", Service = svc.Service ?? "" };
                    return new TxnOp { Service = new TxnServiceOp(Get(p.Value, "Verb") ?? "", Get(p.Value, "Node") ?? "", svc) };
                case "check":
                    var check = Deserialize<HealthCheck>(p.Value.TryGetProperty("Check", out var c) ? c : default);
                    check = check with { Node = check.Node ?? "", CheckID = check.CheckID ?? "", ServiceID = check.ServiceID ?? "", ServiceName = check.ServiceName ?? "" };
                    return new TxnOp { Check = new TxnCheckOp(Get(p.Value, "Verb") ?? "", check) };
            }
        }
        throw ApiException.BadRequest("Failed to parse body: operation has no KV, Node, Service or Check");
    }

    private static T Deserialize<T>(JsonElement e) where T : new()
    {
        if (e.ValueKind != JsonValueKind.Object) return new T();
        try { return e.Deserialize<T>(ApiJson.ModelInput) ?? new T(); }
        catch (JsonException ex) { throw ApiException.BadRequest($"Failed to parse body: {ex.Message}"); }
    }

    private static string? Get(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in e.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ToString();
        return null;
    }

    private static ulong GetUInt(JsonElement e, string name) =>
        Get(e, name) is { } s && ulong.TryParse(s, out var v) ? v : 0;

    private static Dictionary<string, object?> Shape(TxnOutcome o) => new()
    {
        ["Results"] = o.Results?.Select(r => r.KV is not null ? new Dictionary<string, object?> { ["KV"] = r.KV }
            : r.Node is not null ? new Dictionary<string, object?> { ["Node"] = r.Node }
            : r.Service is not null ? new Dictionary<string, object?> { ["Service"] = r.Service }
            : new Dictionary<string, object?> { ["Check"] = r.Check }).ToList(),
        ["Errors"] = o.Errors,
    };
}
