using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// GET /v1/acl/token/:id?expanded — Consul's structs.ACLTokenExpanded: the token's fields, then
/// every policy it resolves to (linked, through roles, synthesized from identities), its roles,
/// and the agent's default/down policy.
/// </summary>
internal static class AclTokenExpanded
{
    public static JsonObject From(StateSnapshot s, AclToken token, ApiContext api)
    {
        var policyIds = new List<string>();
        var synthetic = new List<AclPolicy>();
        var roles = new List<AclRole>();

        policyIds.AddRange(token.PolicyIDs());
        synthetic.AddRange(Synthesized(token.ServiceIdentities, token.NodeIdentities));
        foreach (var roleId in token.RoleIDs().Distinct(StringComparer.Ordinal))
        {
            if (AclReads.RoleById(s, roleId) is not { } role) continue;
            roles.Add(role);
            policyIds.AddRange((role.Policies ?? []).Select(p => p.ID));
            synthetic.AddRange(Synthesized(role.ServiceIdentities, role.NodeIdentities));
        }

        var policies = policyIds.Distinct(StringComparer.Ordinal)
            .Select(id => AclReads.PolicyById(s, id))
            .OfType<AclPolicy>()
            .Concat(synthetic.DistinctBy(p => p.ID))
            .Select(p => (JsonNode)JsonSerializer.SerializeToNode(AclPolicyJson.From(p), ApiJson.Compact)!)
            .ToArray();

        var json = AclTokenJson.From(token);
        json["ExpandedPolicies"] = policies.Length == 0 ? null : new JsonArray(policies);
        json["ExpandedRoles"] = roles.Count == 0 ? null : JsonSerializer.SerializeToNode(roles, ApiJson.Compact);
        json["NamespaceDefaultPolicyIDs"] = null;
        json["NamespaceDefaultRoleIDs"] = null;
        json["AgentACLDefaultPolicy"] = api.Config.Acl.DefaultPolicy;
        json["AgentACLDownPolicy"] = api.Config.Acl.DownPolicy;
        json["ResolvedByAgent"] = api.Config.NodeName;
        return json;
    }

    private static IEnumerable<AclPolicy> Synthesized(IReadOnlyList<AclServiceIdentity>? services, IReadOnlyList<AclNodeIdentity>? nodes) =>
        (services ?? []).Select(i => i.SyntheticPolicy().WithHash())
            .Concat((nodes ?? []).Select(i => i.SyntheticPolicy().WithHash()));
}
