namespace Consul.Agent.Cli.Acl;

/// <summary>A lookup failure; the message is Consul's (printed after the command's own prefix).</summary>
internal sealed class AclLookupException(string message) : Exception(message);

/// <summary>
/// command/acl/acl_helpers.go: turning unique ID prefixes and names into IDs (by listing, as
/// Consul does; a 36-character value is taken as a full ID without asking) and parsing
/// -service-identity / -node-identity values.
/// </summary>
internal static class AclLookup
{
    public const string AnonymousTokenId = "00000000-0000-0000-0000-000000000002";
    public const string GlobalManagementPolicyId = "00000000-0000-0000-0000-000000000001";

    public static async Task<string> TokenAccessorIdFromPartialAsync(AclApi api, string partial)
    {
        if (partial == "anonymous") return AnonymousTokenId;
        if (partial.Length == 36) return partial;
        var tokens = await api.TokenListAsync() ?? [];
        return UniquePrefix(tokens.Select(t => t.AccessorID), partial, "Partial token ID is not unique", $"No such token ID with prefix: {partial}");
    }

    public static async Task<string> PolicyIdFromPartialAsync(AclApi api, string partial)
    {
        if (partial == "global-management") return GlobalManagementPolicyId;
        if (partial.Length == 36) return partial;
        var policies = await api.PolicyListAsync() ?? [];
        return UniquePrefix(policies.Select(p => p.ID), partial, "Partial policy ID is not unique", $"No such policy ID with prefix: {partial}");
    }

    public static async Task<string> RoleIdFromPartialAsync(AclApi api, string partial)
    {
        if (partial.Length == 36) return partial;
        var roles = await api.RoleListAsync() ?? [];
        return UniquePrefix(roles.Select(r => r.ID), partial, "Partial role ID is not unique", $"No such role ID with prefix: {partial}");
    }

    /// <summary>GetPolicyByName: null when the agent has no such policy (404).</summary>
    public static async Task<AclPolicyDto?> PolicyByNameAsync(AclApi api, string name)
    {
        if (name.Length == 0) throw new AclLookupException("No name specified");
        try
        {
            return await api.PolicyReadByNameAsync(name);
        }
        catch (CliApiException e)
        {
            throw new AclLookupException($"Failed to find policy with name {name}: {e.Message}");
        }
    }

    public static async Task<string> PolicyIdByNameAsync(AclApi api, string name) =>
        (await PolicyByNameAsync(api, name))?.ID
        // Consul's client would dereference the missing policy; say what happened instead.
        ?? throw new AclLookupException($"No such policy with name {name}");

    public static async Task<string> RoleIdByNameAsync(AclApi api, string name)
    {
        if (name.Length == 0) throw new AclLookupException("No name specified");
        var roles = await api.RoleListAsync() ?? [];
        return roles.FirstOrDefault(r => r.Name == name)?.ID ?? throw new AclLookupException($"No such role with name {name}");
    }

    private static string UniquePrefix(IEnumerable<string> ids, string partial, string notUnique, string none)
    {
        string? found = null;
        foreach (var id in ids)
        {
            if (!id.StartsWith(partial, StringComparison.Ordinal)) continue;
            if (found is not null) throw new AclLookupException(notUnique);
            found = id;
        }
        return found ?? throw new AclLookupException(none);
    }

    /// <summary>SERVICENAME or SERVICENAME:DC1,DC2,...</summary>
    public static List<AclServiceIdentityDto>? ServiceIdentities(IReadOnlyList<string> raw)
    {
        List<AclServiceIdentityDto>? result = null;
        foreach (var s in raw)
        {
            var parts = s.Split(':');
            var identity = parts.Length switch
            {
                1 => new AclServiceIdentityDto { ServiceName = parts[0] },
                2 => new AclServiceIdentityDto { ServiceName = parts[0], Datacenters = [.. parts[1].Split(',')] },
                _ => throw new AclLookupException($"Malformed -service-identity argument: {GoFlagSet.GoQuote(s)}"),
            };
            (result ??= []).Add(identity);
        }
        return result;
    }

    /// <summary>NODENAME:DATACENTER.</summary>
    public static List<AclNodeIdentityDto>? NodeIdentities(IReadOnlyList<string> raw)
    {
        List<AclNodeIdentityDto>? result = null;
        foreach (var s in raw)
        {
            var parts = s.Split(':');
            if (parts.Length != 2) throw new AclLookupException($"Malformed -node-identity argument: {GoFlagSet.GoQuote(s)}");
            (result ??= []).Add(new AclNodeIdentityDto { NodeName = parts[0], Datacenter = parts[1] });
        }
        return result;
    }
}
