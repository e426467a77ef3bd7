using System.Text;

namespace Consul.Agent.Cli.Acl;

/// <summary>command/acl/role/formatter.go.</summary>
internal sealed class RoleFormatter(AclOutputFormat format, bool showMeta)
{
    public string FormatRole(AclRoleDto r) =>
        format == AclOutputFormat.Json ? AclJson.Indent(AclJson.Role(r)) : Pretty(r, "");

    public string FormatRoleList(List<AclRoleDto>? roles)
    {
        if (format == AclOutputFormat.Json)
            return roles is null ? "null" : AclJson.Indent(AclJson.Array(roles, AclJson.Role));
        var sb = new StringBuilder();
        foreach (var r in roles ?? []) sb.Append(Pretty(r, "   "));
        return sb.ToString();
    }

    // A single role starts at the margin; list entries sit under a "name:" line, three spaces in.
    private string Pretty(AclRoleDto r, string indent)
    {
        var sb = new StringBuilder();
        if (indent.Length > 0) sb.Append($"{r.Name}:\n");
        sb.Append($"{indent}ID:           {r.ID}\n");
        if (indent.Length == 0) sb.Append($"Name:         {r.Name}\n");
        if (r.Partition.Length > 0) sb.Append($"{indent}Partition:    {r.Partition}\n");
        if (r.Namespace.Length > 0) sb.Append($"{indent}Namespace:    {r.Namespace}\n");
        sb.Append($"{indent}Description:  {r.Description}\n");
        if (showMeta)
        {
            sb.Append($"{indent}Hash:         {AclOutputFormats.Hex(r.Hash)}\n");
            sb.Append($"{indent}Create Index: {r.CreateIndex}\n");
            sb.Append($"{indent}Modify Index: {r.ModifyIndex}\n");
        }
        var item = indent + "   ";
        if (r.Policies is { Count: > 0 })
        {
            sb.Append($"{indent}Policies:\n");
            foreach (var p in r.Policies) sb.Append($"{item}{p.ID} - {p.Name}\n");
        }
        if (r.ServiceIdentities is { Count: > 0 })
        {
            sb.Append($"{indent}Service Identities:\n");
            foreach (var s in r.ServiceIdentities)
                sb.Append($"{item}{s.ServiceName} (Datacenters: {TokenFormatter.Datacenters(s.Datacenters)})\n");
        }
        if (r.NodeIdentities is { Count: > 0 })
        {
            sb.Append($"{indent}Node Identities:\n");
            foreach (var n in r.NodeIdentities) sb.Append($"{item}{n.NodeName} (Datacenter: {n.Datacenter})\n");
        }
        if (r.TemplatedPolicies is { Count: > 0 })
        {
            sb.Append($"{indent}Templated Policies:\n");
            TokenFormatter.AppendTemplatedPolicyLines(sb, r.TemplatedPolicies, item);
        }
        return sb.ToString();
    }
}
