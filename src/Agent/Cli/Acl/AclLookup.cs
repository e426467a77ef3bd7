using Consul.Core.Acl;

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
    public static async Task<string> TokenAccessorIdFromPartialAsync(AclApi api, string partial) =>
        partial == "anonymous"
            ? AclBuiltins.AnonymousTokenId
            : await IdFromPrefixAsync(partial, "token", async () => (await api.TokenListAsync() ?? []).Select(t => t.AccessorID));

    public static async Task<string> PolicyIdFromPartialAsync(AclApi api, string partial) =>
        partial == "global-management"
            ? AclBuiltins.GlobalManagementPolicyId
            : await IdFromPrefixAsync(partial, "policy", async () => (await api.PolicyListAsync() ?? []).Select(p => p.ID));

    public static Task<string> RoleIdFromPartialAsync(AclApi api, string partial) =>
        IdFromPrefixAsync(partial, "role", async () => (await api.RoleListAsync() ?? []).Select(r => r.ID));

    // GetTokenAccessorIDFromPartial and its policy and role twins: the listed ID the value prefixes.
    private static async Task<string> IdFromPrefixAsync(string partial, string kind, Func<Task<IEnumerable<string>>> listIds)
    {
        if (partial.Length == 36) return partial;
        string? found = null;
        foreach (var id in await listIds())
        {
            if (!id.StartsWith(partial, StringComparison.Ordinal)) continue;
            if (found is not null) throw new AclLookupException($"Partial {kind} ID is not unique");
            found = id;
        }
        return found ?? throw new AclLookupException($"No such {kind} ID with prefix: {partial}");
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

    /// <summary>Merging service identities: one given for a service already there replaces it, others are added.</summary>
    public static List<AclServiceIdentityDto>? MergeServiceIdentities(List<AclServiceIdentityDto>? current, List<AclServiceIdentityDto>? added)
    {
        foreach (var s in added ?? [])
        {
            var list = current ??= [];
            var at = list.FindIndex(l => l.ServiceName == s.ServiceName);
            if (at >= 0) list[at] = s;
            else list.Add(s);
        }
        return current;
    }

    /// <summary>Merging node identities: each one not already there (same node and datacenter) is added.</summary>
    public static List<AclNodeIdentityDto>? MergeNodeIdentities(List<AclNodeIdentityDto>? current, List<AclNodeIdentityDto>? added)
    {
        foreach (var n in added ?? [])
        {
            var list = current ??= [];
            if (!list.Any(l => l.NodeName == n.NodeName && l.Datacenter == n.Datacenter)) list.Add(n);
        }
        return current;
    }
}
