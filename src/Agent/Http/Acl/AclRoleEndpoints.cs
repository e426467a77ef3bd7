using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>/v1/acl/role, /v1/acl/role/:id, /v1/acl/role/name/:name, /v1/acl/roles.</summary>
public static class AclRoleEndpoints
{
    private const string DecodeFailure = "Role decoding failed";

    // structs.ACLRole is decoded with unknown fields disallowed.
    private static readonly HashSet<string> KnownFields = AclJsonBody.Fields(
        "ID", "Name", "Description", "Policies", "ServiceIdentities", "NodeIdentities", "TemplatedPolicies",
        "Hash", "CreateIndex", "ModifyIndex");

    public static void MapAclRoleEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/acl/role", (HttpContext ctx, ApiContext api) => Write(ctx, api, ""));
        app.MapGet("/v1/acl/role/name/{**name}", ReadByName);
        app.MapGet("/v1/acl/role/{id}", ReadById);
        app.MapPut("/v1/acl/role/{id}", Write);
        app.MapDelete("/v1/acl/role/{id}", Delete);
        app.MapGet("/v1/acl/roles", List);
    }

    // Create and update share one handler, as in Consul: an ID in the body must match the URL's (empty on create).
    private static async Task Write(HttpContext ctx, ApiContext api, string id)
    {
        AclHttp.RequireEnabled(api);
        var body = await AclJsonBody.ReadAsync<AclRole>(ctx, DecodeFailure, KnownFields);
        if (body.ID != "" && body.ID != id) throw ApiException.BadRequest("Role ID in URL and payload do not match");
        AclHttp.RequireWrite(ctx, api);
        await ApiResponses.WriteJson(ctx, api, await new AclRoleWriter(api).SetAsync(body with { ID = id }, ctx.RequestAborted));
    }

    private static async Task Delete(HttpContext ctx, ApiContext api, string id)
    {
        AclHttp.RequireEnabled(api);
        AclHttp.RequireWrite(ctx, api);
        if (api.Store.Current.AclRoles.ContainsKey(id))
            await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.RoleDelete, ID = id }, "Failed to apply role delete request", ctx.RequestAborted);
        await ApiResponses.WriteJson(ctx, api, true);
    }

    private static Task ReadById(HttpContext ctx, ApiContext api, string id) => Read(ctx, api, s => AclReads.RoleById(s, id));

    private static Task ReadByName(HttpContext ctx, ApiContext api, string? name)
    {
        var unescaped = AclHttp.RequireName(api, name, "role");
        return Read(ctx, api, s => AclReads.RoleByName(s, unescaped));
    }

    private static async Task Read(HttpContext ctx, ApiContext api, Func<StateSnapshot, AclRole?> find) =>
        await ApiResponses.WriteJson(ctx, api, await AclHttp.ReadOneAsync(ctx, api, AclReads.RoleTables, Tables.AclRoles, "role", find));

    private static Task List(HttpContext ctx, ApiContext api)
    {
        var policy = ctx.Request.Query["policy"].ToString();
        return AclHttp.WriteListAsync(ctx, api, AclReads.RoleTables, Tables.AclRoles, s => AclReads.Roles(s)
            .Where(role => policy == "" || (role.Policies ?? []).Any(p => p.ID == policy))
            .ToList());
    }
}

/// <summary>ACL.RoleSet: name rules and uniqueness, policy links by ID or name (stored by ID), identities checked.</summary>
internal sealed class AclRoleWriter(ApiContext api)
{
    public async Task<AclRole> SetAsync(AclRole role, CancellationToken ct)
    {
        var snap = api.Store.Current;
        if (role.Name == "") throw AclHttp.Rejected("Invalid Role: no Name is set");
        if (!AclValidation.IsValidRoleName(role.Name))
            throw AclHttp.Rejected("Invalid Role: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");

        var createOnly = role.ID == "";
        if (createOnly)
        {
            role = role with { ID = AclHttp.NewUuid(snap.AclRoles.ContainsKey) };
            if (AclReads.RoleByName(snap, role.Name) is not null)
                throw AclHttp.Rejected($"Invalid Role: A Role with Name \"{role.Name}\" already exists");
        }
        else
        {
            if (!AclHttp.IsUuid(role.ID)) throw AclHttp.Rejected("Role ID invalid UUID");
            var existing = snap.AclRoles.GetValueOrDefault(role.ID) ?? throw AclHttp.Rejected($"cannot find role {role.ID}");
            if (existing.Name != role.Name && AclReads.RoleByName(snap, role.Name) is not null)
                throw AclHttp.Rejected($"Invalid Role: A role with name \"{role.Name}\" already exists");
        }

        var links = new List<AclRolePolicyLink>();
        foreach (var link in (role.Policies ?? []).Select(l => l ?? new AclRolePolicyLink()))
        {
            var id = link.ID;
            if (id == "") id = AclReads.PolicyByName(snap, link.Name)?.ID ?? throw AclHttp.Rejected($"No such ACL policy with name \"{link.Name}\"");
            // The state store refuses links to policies that do not exist.
            else if (!snap.AclPolicies.ContainsKey(id)) throw AclHttp.Rejected($"Failed to apply role upsert request: No such policy with ID: {id}");
            if (links.All(l => l.ID != id)) links.Add(new AclRolePolicyLink { ID = id });
        }

        role = role with
        {
            ServiceIdentities = role.ServiceIdentities?.Select(s => s ?? new AclServiceIdentity()).ToList(),
            NodeIdentities = role.NodeIdentities?.Select(n => n ?? new AclNodeIdentity()).ToList(),
        };
        if (AclValidation.CheckIdentities(role.ServiceIdentities, role.NodeIdentities, "role") is { } bad) throw AclHttp.Rejected(bad);
        role = (role with
        {
            Policies = links.Count == 0 ? null : links,
            ServiceIdentities = AclHttp.NullIfEmpty(AclValidation.Deduplicate(role.ServiceIdentities ?? [])),
            NodeIdentities = AclHttp.NullIfEmpty(AclValidation.Deduplicate(role.NodeIdentities ?? [])),
        }).WithHash();

        await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.RoleSet, Role = role, CreateOnly = createOnly },
            "Failed to apply role upsert request", ct);
        return AclReads.RoleById(api.Store.Current, role.ID) ?? role;
    }
}
