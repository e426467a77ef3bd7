namespace Consul.Agent.Cli.Acl;

/// <summary>
/// Policies and roles, which the commands address alike: by -id (a full ID or a unique prefix)
/// or by -name. One value per kind holds its noun and its lookups, so the flows that resolve,
/// read and delete are written once.
/// </summary>
internal sealed class AclNamedKind
{
    public static readonly AclNamedKind Policy = new(
        "policy", "policies", AclLookup.PolicyIdFromPartialAsync, AclLookup.PolicyIdByNameAsync, (api, id) => api.PolicyDeleteAsync(id));

    public static readonly AclNamedKind Role = new(
        "role", "roles", AclLookup.RoleIdFromPartialAsync, AclLookup.RoleIdByNameAsync, (api, id) => api.RoleDeleteAsync(id));

    private readonly Func<AclApi, string, Task<string>> _idFromPartial, _idByName;
    private readonly Func<AclApi, string, Task> _delete;

    private AclNamedKind(string noun, string plural, Func<AclApi, string, Task<string>> idFromPartial, Func<AclApi, string, Task<string>> idByName,
        Func<AclApi, string, Task> delete)
    {
        Noun = noun;
        Plural = plural;
        _idFromPartial = idFromPartial;
        _idByName = idByName;
        _delete = delete;
    }

    /// <summary>"policy" or "role", as it stands in Consul's messages.</summary>
    public string Noun { get; }

    public string Plural { get; }

    /// <summary>"Policy" or "Role", as a message starts.</summary>
    public string Title => char.ToUpperInvariant(Noun[0]) + Noun[1..];

    /// <summary>The "Error determining policy ID" step's prefix.</summary>
    public string DetermineIdFailure => $"Error determining {Noun} ID";

    public Task<string> IdFromPartialAsync(AclApi api, string partial) => _idFromPartial(api, partial);

    /// <summary>-id when given (it wins over -name, as in Consul), else -name.</summary>
    public Task<string> IdFromPartialOrNameAsync(AclApi api, string partial, string name) =>
        partial.Length > 0 ? _idFromPartial(api, partial) : _idByName(api, name);

    public Task DeleteAsync(AclApi api, string id) => _delete(api, id);
}
