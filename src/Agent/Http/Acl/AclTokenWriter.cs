using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// Token create, update, clone and delete with the checks and messages of Consul's token writer
/// (agent/consul/auth/token_writer.go) and ACL.Token* endpoints: IDs validated as UUIDs, links
/// resolved by ID or name and stored by ID, identities validated and de-duplicated, expiry rules.
/// </summary>
internal sealed class AclTokenWriter(ApiContext api)
{
    private StateSnapshot Snap => api.Store.Current;

    public async Task<AclToken> CreateAsync(AclToken token, CancellationToken ct)
    {
        var snap = Snap;
        bool InUse(string id) => snap.AclTokens.ContainsKey(id) || snap.AclSecrets.ContainsKey(id);

        if (token.AccessorID == "") token = token with { AccessorID = AclHttp.NewUuid(InUse) };
        else
        {
            CheckNewId(token.AccessorID, "AccessorID");
            if (InUse(token.AccessorID)) throw AclHttp.Rejected("Invalid Token: AccessorID is already in use");
        }
        if (token.SecretID == "") token = token with { SecretID = AclHttp.NewUuid(InUse) };
        else
        {
            CheckNewId(token.SecretID, "SecretID");
            if (InUse(token.SecretID)) throw AclHttp.Rejected("Invalid Token: SecretID is already in use");
        }

        try
        {
            token = AclTokenExpiry.ForCreate(token, api.Time.GetUtcNow());
        }
        catch (AclTokenValidationException e)
        {
            throw AclHttp.Rejected(e.Message);
        }
        if (!string.IsNullOrEmpty(token.AuthMethod)) throw AclHttp.Rejected("AuthMethod field is disallowed outside of login");
        return await WriteAsync(token with { AuthMethod = null }, createOnly: true, ct);
    }

    public async Task<AclToken> UpdateAsync(AclToken token, CancellationToken ct)
    {
        if (!AclHttp.IsUuid(token.AccessorID)) throw AclHttp.Rejected("AccessorID is not a valid UUID");
        if (StaticAuthorizer.RootAuthorizer(token.SecretID) is not null)
            throw new PermissionDeniedException("Cannot modify root ACL");

        var existing = Snap.AclTokens.GetValueOrDefault(token.AccessorID);
        if (existing is null || existing.IsExpired(api.Time.GetUtcNow()))
            throw AclHttp.Rejected($"Cannot find token \"{token.AccessorID}\"");

        if (token.SecretID == "") token = token with { SecretID = existing.SecretID };
        else if (token.SecretID != existing.SecretID) throw AclHttp.Rejected("Changing a token's SecretID is not permitted");

        if (token.Local != existing.Local) throw AclHttp.Rejected($"Cannot toggle local mode of {token.AccessorID}");

        if (string.IsNullOrEmpty(token.AuthMethod)) token = token with { AuthMethod = existing.AuthMethod };
        else if (token.AuthMethod != existing.AuthMethod) throw AclHttp.Rejected($"Cannot change AuthMethod of {token.AccessorID}");

        if (token.ExpirationTTL is { } ttl && ttl != TimeSpan.Zero)
            throw AclHttp.Rejected($"Cannot change expiration time of {token.AccessorID}");
        if (token.HasExpirationTime)
        {
            if (!existing.HasExpirationTime || existing.ExpirationTime!.Value != token.ExpirationTime!.Value)
                throw AclHttp.Rejected($"Cannot change expiration time of {token.AccessorID}");
        }
        else token = token with { ExpirationTime = existing.ExpirationTime };

        token = token with { ExpirationTTL = null, CreateTime = existing.CreateTime };
        return await WriteAsync(token, createOnly: false, ct);
    }

    /// <summary>ACL.TokenClone: same links, identities, locality, expiry and description (unless a new one is given).</summary>
    public async Task<AclToken> CloneAsync(string accessorId, string description, CancellationToken ct)
    {
        var source = Snap.AclTokens.GetValueOrDefault(accessorId);
        if (source is null || source.IsExpired(api.Time.GetUtcNow())) throw new ApiException(StatusCodes.Status403Forbidden, AclErrors.NotFound);
        if (!string.IsNullOrEmpty(source.AuthMethod)) throw AclHttp.Rejected("Cannot clone a token created from an auth method");

        var clone = new AclToken
        {
            Policies = source.Policies,
            Roles = source.Roles,
            ServiceIdentities = source.ServiceIdentities,
            NodeIdentities = source.NodeIdentities,
            Local = source.Local,
            Description = description != "" ? description : source.Description,
            ExpirationTime = source.ExpirationTime,
        };
        return await CreateAsync(clone, ct);
    }

    /// <summary>ACL.TokenDelete: a missing token is not an error.</summary>
    public async Task DeleteAsync(string accessorId, string requestSecret, CancellationToken ct)
    {
        if (!AclHttp.IsUuid(accessorId)) throw AclHttp.Rejected("Accessor ID is missing or an invalid UUID");
        if (accessorId == AclBuiltins.AnonymousTokenId) throw AclHttp.Rejected("Delete operation not permitted on the anonymous token");
        var token = Snap.AclTokens.GetValueOrDefault(accessorId);
        if (token is null) return;
        if (token.SecretID == requestSecret) throw AclHttp.Rejected("Deletion of the request's authorization token is not permitted");
        await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.TokenDelete, ID = accessorId }, "Failed to apply token delete request", ct);
    }

    private async Task<AclToken> WriteAsync(AclToken token, bool createOnly, CancellationToken ct)
    {
        var snap = Snap;
        token = token with
        {
            Roles = NormalizeRoles(snap, token.Roles),
            Policies = NormalizePolicies(snap, token.Policies),
        };
        token = token with
        {
            ServiceIdentities = token.ServiceIdentities?.Select(s => s ?? new AclServiceIdentity()).ToList(),
            NodeIdentities = token.NodeIdentities?.Select(n => n ?? new AclNodeIdentity()).ToList(),
        };
        if (AclValidation.CheckIdentities(token.ServiceIdentities, token.NodeIdentities, "token", token.Local) is { } bad)
            throw AclHttp.Rejected(bad);
        token = (token with
        {
            ServiceIdentities = AclHttp.NullIfEmpty(AclValidation.Deduplicate(token.ServiceIdentities ?? [])),
            NodeIdentities = AclHttp.NullIfEmpty(AclValidation.Deduplicate(token.NodeIdentities ?? [])),
        }).WithHash();

        await AclHttp.ApplyAsync(api, new AclCommand { Verb = AclCommand.TokenSet, Token = token, CreateOnly = createOnly },
            "Failed to apply token write request", ct);
        return AclReads.TokenByAccessor(api.Store.Current, token.AccessorID)
            ?? throw new ApiException(StatusCodes.Status500InternalServerError, "Failed to retrieve token after insertion");
    }

    private static IReadOnlyList<AclTokenRoleLink>? NormalizeRoles(StateSnapshot snap, IReadOnlyList<AclTokenRoleLink>? links)
    {
        if (links is null) return null;
        var result = new List<AclTokenRoleLink>();
        foreach (var link in links.Select(l => l ?? new AclTokenRoleLink()))
        {
            string id;
            if (link.ID == "")
                id = AclReads.RoleByName(snap, link.Name)?.ID ?? throw AclHttp.Rejected($"No such ACL role with name \"{link.Name}\"");
            else if (snap.AclRoles.ContainsKey(link.ID)) id = link.ID;
            else throw AclHttp.Rejected($"No such ACL role with ID \"{link.ID}\"");
            // Stored by ID only: the role may be renamed later.
            if (result.All(r => r.ID != id)) result.Add(new AclTokenRoleLink { ID = id });
        }
        return result.Count == 0 ? null : result;
    }

    private static IReadOnlyList<AclTokenPolicyLink>? NormalizePolicies(StateSnapshot snap, IReadOnlyList<AclTokenPolicyLink>? links)
    {
        if (links is null) return null;
        var result = new List<AclTokenPolicyLink>();
        foreach (var link in links.Select(l => l ?? new AclTokenPolicyLink()))
        {
            string id;
            if (link.ID == "")
                id = AclReads.PolicyByName(snap, link.Name)?.ID ?? throw AclHttp.Rejected($"No such ACL policy with name \"{link.Name}\"");
            else if (snap.AclPolicies.ContainsKey(link.ID)) id = link.ID;
            else throw AclHttp.Rejected($"No such ACL policy with ID \"{link.ID}\"");
            if (result.All(p => p.ID != id)) result.Add(new AclTokenPolicyLink { ID = id });
        }
        return result.Count == 0 ? null : result;
    }

    /// <summary>Consul's validateTokenID for caller-chosen IDs.</summary>
    private static void CheckNewId(string id, string field)
    {
        if (AclBuiltins.IsReservedId(id))
            throw AclHttp.Rejected($"Invalid Token: {field} - UUIDs with the prefix \"{AclBuiltins.ReservedIdPrefix}\" are reserved");
        if (!AclHttp.IsUuid(id)) throw AclHttp.Rejected($"Invalid Token: {field} - not a valid UUID");
    }
}
