using Consul.Core.Acl;

namespace Consul.Core.State;

/// <summary>
/// Reads of the ACL tables as Consul's API shows them: links carry the current names of the
/// policies and roles they point at, and links to deleted ones are dropped.
/// </summary>
public static class AclReads
{
    public static readonly string[] TokenTables = [Tables.AclTokens, Tables.AclPolicies, Tables.AclRoles];
    public static readonly string[] PolicyTables = [Tables.AclPolicies];
    public static readonly string[] RoleTables = [Tables.AclRoles, Tables.AclPolicies];

    public static AclToken? TokenByAccessor(StateSnapshot s, string accessorId) =>
        s.AclTokens.TryGetValue(accessorId, out var t) ? WithLinkNames(s, t) : null;

    public static AclToken? TokenBySecret(StateSnapshot s, string secretId) =>
        s.AclSecrets.TryGetValue(secretId, out var accessor) ? TokenByAccessor(s, accessor) : null;

    public static AclPolicy? PolicyById(StateSnapshot s, string id) => s.AclPolicies.GetValueOrDefault(id);

    public static AclPolicy? PolicyByName(StateSnapshot s, string name) =>
        s.AclPolicies.Values.FirstOrDefault(p => p.Name == name);

    public static AclRole? RoleById(StateSnapshot s, string id) =>
        s.AclRoles.TryGetValue(id, out var r) ? WithLinkNames(s, r) : null;

    public static AclRole? RoleByName(StateSnapshot s, string name) =>
        s.AclRoles.Values.FirstOrDefault(r => r.Name == name) is { } r ? WithLinkNames(s, r) : null;

    public static IEnumerable<AclToken> Tokens(StateSnapshot s) => s.AclTokens.Values.Select(t => WithLinkNames(s, t));

    public static IEnumerable<AclRole> Roles(StateSnapshot s) => s.AclRoles.Values.Select(r => WithLinkNames(s, r));

    public static AclToken WithLinkNames(StateSnapshot s, AclToken t) => t with
    {
        Policies = t.Policies?.Where(p => s.AclPolicies.ContainsKey(p.ID))
            .Select(p => p with { Name = s.AclPolicies[p.ID].Name }).ToList(),
        Roles = t.Roles?.Where(r => s.AclRoles.ContainsKey(r.ID))
            .Select(r => r with { Name = s.AclRoles[r.ID].Name }).ToList(),
    };

    public static AclRole WithLinkNames(StateSnapshot s, AclRole r) => r with
    {
        Policies = r.Policies?.Where(p => s.AclPolicies.ContainsKey(p.ID))
            .Select(p => p with { Name = s.AclPolicies[p.ID].Name }).ToList(),
    };
}

/// <summary>The resolver's view of the replicated ACL tables: always the store's current snapshot.</summary>
public sealed class StateAclStore(StateStore store) : IAclStore
{
    public AclToken? TokenBySecret(string secretId) => AclReads.TokenBySecret(store.Current, secretId);
    public AclToken? TokenByAccessor(string accessorId) => AclReads.TokenByAccessor(store.Current, accessorId);
    public AclPolicy? PolicyById(string id) => AclReads.PolicyById(store.Current, id);
    public AclPolicy? PolicyByName(string name) => AclReads.PolicyByName(store.Current, name);
    public AclRole? RoleById(string id) => AclReads.RoleById(store.Current, id);
    public AclRole? RoleByName(string name) => AclReads.RoleByName(store.Current, name);
}
