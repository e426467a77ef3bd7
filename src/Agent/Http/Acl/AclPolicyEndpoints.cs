using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>/v1/acl/policy, /v1/acl/policy/:id, /v1/acl/policy/name/:name, /v1/acl/policies.</summary>
public static class AclPolicyEndpoints
{
    private const string DecodeFailure = "Policy decoding failed";

    // structs.ACLPolicy is decoded with unknown fields disallowed.
    private static readonly HashSet<string> KnownFields =
        AclJsonBody.Fields("ID", "Name", "Description", "Rules", "Syntax", "Datacenters", "Hash", "CreateIndex", "ModifyIndex");

    public static void MapAclPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/acl/policy", Create);
        app.MapGet("/v1/acl/policy/name/{**name}", ReadByName);
        app.MapGet("/v1/acl/policy/{id}", ReadById);
        app.MapPut("/v1/acl/policy/{id}", Update);
        app.MapDelete("/v1/acl/policy/{id}", Delete);
        app.MapGet("/v1/acl/policies", List);
    }

    private static Task Create(HttpContext ctx, ApiContext api) =>
        Write(ctx, api, body => body.ID == "" ? body : throw ApiException.BadRequest("Cannot specify the ID when creating a new policy"));

    private static Task Update(HttpContext ctx, ApiContext api, string id) =>
        Write(ctx, api, body => body.ID == "" || body.ID == id
            ? body with { ID = id }
            : throw ApiException.BadRequest("Policy ID in URL and payload do not match"));

    // Create and update: decode, check the body against the route (before acl:write, as Consul does), store.
    private static async Task Write(HttpContext ctx, ApiContext api, Func<AclPolicy, AclPolicy> checkBody)
    {
        AclHttp.RequireEnabled(api);
        var body = checkBody(await AclJsonBody.ReadAsync<AclPolicy>(ctx, DecodeFailure, KnownFields));
        AclHttp.RequireWrite(ctx, api);
        await ApiResponses.WriteJson(ctx, api, AclPolicyJson.From(await new AclPolicyWriter(api).SetAsync(body, ctx.RequestAborted)));
    }

    private static async Task Delete(HttpContext ctx, ApiContext api, string id)
    {
        AclHttp.RequireEnabled(api);
        AclHttp.RequireWrite(ctx, api);
        await new AclPolicyWriter(api).DeleteAsync(id, ctx.RequestAborted);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static Task ReadById(HttpContext ctx, ApiContext api, string id) =>
        Read(ctx, api, s => AclReads.PolicyById(s, id));

    private static Task ReadByName(HttpContext ctx, ApiContext api, string? name)
    {
        var unescaped = AclHttp.RequireName(api, name, "policy");
        return Read(ctx, api, s => AclReads.PolicyByName(s, unescaped));
    }

    private static async Task Read(HttpContext ctx, ApiContext api, Func<StateSnapshot, AclPolicy?> find)
    {
        var policy = await AclHttp.ReadOneAsync(ctx, api, AclReads.PolicyTables, Tables.AclPolicies, "policy", find);
        await ApiResponses.WriteJson(ctx, api, AclPolicyJson.From(policy));
    }

    private static Task List(HttpContext ctx, ApiContext api) =>
        AclHttp.WriteListAsync(ctx, api, AclReads.PolicyTables, Tables.AclPolicies,
            s => s.AclPolicies.Values.Select(AclPolicyListStub.From).ToList());
}

/// <summary>ACL.PolicySet / ACL.PolicyDelete: name rules, uniqueness, builtin protection, rules validated by the parser.</summary>
internal sealed class AclPolicyWriter(ApiContext api)
{
    public async Task<AclPolicy> SetAsync(AclPolicy policy, CancellationToken ct)
    {
        var snap = api.Store.Current;
        if (policy.Name == "") throw AclHttp.Rejected("Invalid Policy: no Name is set");
        if (!AclValidation.IsValidPolicyName(policy.Name) && !IsBuiltinName(policy))
            throw AclHttp.Rejected("Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");

        var nameMatch = AclReads.PolicyByName(snap, policy.Name);
        if (policy.ID == "")
        {
            policy = policy with { ID = AclHttp.NewUuid(snap.AclPolicies.ContainsKey) };
            if (nameMatch is not null) throw AclHttp.Rejected($"Invalid Policy: A Policy with Name \"{policy.Name}\" already exists");
        }
        else
        {
            if (!AclHttp.IsUuid(policy.ID)) throw AclHttp.Rejected("Policy ID invalid UUID");
            var idMatch = snap.AclPolicies.GetValueOrDefault(policy.ID) ?? throw AclHttp.Rejected($"cannot find policy {policy.ID}");
            if (idMatch.Name != policy.Name && nameMatch is not null)
                throw AclHttp.Rejected($"Invalid Policy: A policy with name \"{policy.Name}\" already exists");
            if (BuiltinName(policy.ID) is { } builtin)
            {
                if (policy.Datacenters is not null)
                    throw AclHttp.Rejected($"Changing the Datacenters of the builtin {builtin} policy is not permitted");
                if (policy.Rules != idMatch.Rules)
                    throw AclHttp.Rejected($"Changing the Rules for the builtin {builtin} policy is not permitted");
            }
        }

        if (!PolicyParser.TryParse(policy.Rules, out _, out var error)) throw AclHttp.Rejected(error!);

        var hashed = policy.WithHash();
        await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.PolicySet, Policy = hashed }, "Failed to apply policy upsert request", ct);
        return AclReads.PolicyById(api.Store.Current, hashed.ID) ?? hashed;
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        var policy = api.Store.Current.AclPolicies.GetValueOrDefault(id);
        if (policy is null) return;
        if (BuiltinName(id) is { } builtin) throw AclHttp.Rejected($"Delete operation not permitted on the builtin {builtin} policy");
        await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.PolicyDelete, ID = id }, "Failed to apply policy delete request", ct);
    }

    private static string? BuiltinName(string id) => id switch
    {
        AclBuiltins.GlobalManagementPolicyId => AclBuiltins.GlobalManagementPolicyName,
        AclBuiltins.GlobalReadOnlyPolicyId => "global-read-only",
        _ => null,
    };

    // "builtin/global-read-only" carries a slash; it may keep its own name on update.
    private static bool IsBuiltinName(AclPolicy p) => p.ID == AclBuiltins.GlobalReadOnlyPolicyId && p.Name == AclBuiltins.GlobalReadOnlyPolicyName;
}
