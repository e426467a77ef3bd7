using System.Text.RegularExpressions;

namespace Consul.Core.Acl;

/// <summary>
/// Name rules and identity checks Consul applies when tokens and roles are written
/// (acl/validation.go, the token writer and role upsert); messages are Consul's.
/// </summary>
public static partial class AclValidation
{
    public const int IdentityNameMaxLength = 256;

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9\-_]*[a-z0-9])?$")]
    private static partial Regex IdentityName();

    [GeneratedRegex(@"^[A-Za-z0-9\-_]{1,128}$")]
    private static partial Regex PolicyName();

    [GeneratedRegex(@"^[A-Za-z0-9\-_]{1,256}$")]
    private static partial Regex RoleName();

    public static bool IsValidServiceIdentityName(string name) =>
        name.Length is >= 1 and <= IdentityNameMaxLength && IdentityName().IsMatch(name);

    public static bool IsValidNodeIdentityName(string name) =>
        name.Length is >= 1 and <= IdentityNameMaxLength && IdentityName().IsMatch(name);

    public static bool IsValidPolicyName(string name) => PolicyName().IsMatch(name);

    public static bool IsValidRoleName(string name) => RoleName().IsMatch(name);

    /// <summary>Checks and de-duplicates identities on a token ("token") or role ("role"); null when valid.</summary>
    public static string? CheckIdentities(
        IReadOnlyList<AclServiceIdentity>? services, IReadOnlyList<AclNodeIdentity>? nodes, string owner, bool localToken = false)
    {
        foreach (var s in services ?? [])
        {
            if (s.ServiceName == "") return $"Service identity is missing the service name field on this {owner}";
            if (localToken && s.Datacenters is { Count: > 0 })
                return $"Service identity \"{s.ServiceName}\" cannot specify a list of datacenters on a local token";
            if (!IsValidServiceIdentityName(s.ServiceName))
                return $"Service identity \"{s.ServiceName}\" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed";
        }
        foreach (var n in nodes ?? [])
        {
            if (n.NodeName == "") return $"Node identity is missing the node name field on this {owner}";
            if (n.Datacenter == "") return $"Node identity is missing the datacenter field on this {owner}";
            if (!IsValidNodeIdentityName(n.NodeName))
                return "Node identity has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed";
        }
        return null;
    }

    /// <summary>Consul's Deduplicate: one identity per service name, datacenters merged and sorted.</summary>
    public static IReadOnlyList<AclServiceIdentity> Deduplicate(IEnumerable<AclServiceIdentity> identities) =>
        identities
            .GroupBy(s => s.ServiceName, StringComparer.Ordinal)
            .Select(g =>
            {
                var dcs = g.SelectMany(s => s.Datacenters ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return new AclServiceIdentity { ServiceName = g.Key, Datacenters = dcs.Count == 0 ? null : dcs };
            })
            .ToList();

    /// <summary>Consul's Deduplicate for node identities: first of each (name, datacenter).</summary>
    public static IReadOnlyList<AclNodeIdentity> Deduplicate(IEnumerable<AclNodeIdentity> identities) =>
        identities.DistinctBy(n => (n.NodeName, n.Datacenter)).ToList();
}
