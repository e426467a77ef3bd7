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
        TokenFormatter.AppendLinks(sb, indent, "Policies", r.Policies);
        TokenFormatter.AppendIdentities(sb, indent, r.ServiceIdentities, r.NodeIdentities, r.TemplatedPolicies);
        return sb.ToString();
    }
}
