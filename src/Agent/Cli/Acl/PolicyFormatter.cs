using System.Text;

namespace Consul.Agent.Cli.Acl;

/// <summary>command/acl/policy/formatter.go.</summary>
internal sealed class PolicyFormatter(AclOutputFormat format, bool showMeta)
{
    public string FormatPolicy(AclPolicyDto p)
    {
        if (format == AclOutputFormat.Json) return AclJson.Indent(AclJson.Policy(p));
        var sb = new StringBuilder();
        AppendFields(sb, p, "");
        sb.Append("Rules:\n").Append(p.Rules);
        return sb.ToString();
    }

    public string FormatPolicyList(List<AclPolicyDto>? policies)
    {
        if (format == AclOutputFormat.Json)
            return policies is null ? "null" : AclJson.Indent(AclJson.Array(policies, AclJson.PolicyListEntry));
        var sb = new StringBuilder();
        foreach (var p in policies ?? [])
        {
            sb.Append($"{p.Name}:\n");
            AppendFields(sb, p, "   ");
        }
        return sb.ToString();
    }

    // A single policy and a list entry show the same fields; list entries are indented under their name.
    private void AppendFields(StringBuilder sb, AclPolicyDto p, string indent)
    {
        sb.Append($"{indent}ID:           {p.ID}\n");
        if (indent.Length == 0) sb.Append($"Name:         {p.Name}\n");
        if (p.Partition.Length > 0) sb.Append($"{indent}Partition:    {p.Partition}\n");
        if (p.Namespace.Length > 0) sb.Append($"{indent}Namespace:    {p.Namespace}\n");
        sb.Append($"{indent}Description:  {p.Description}\n");
        sb.Append($"{indent}Datacenters:  {string.Join(", ", p.Datacenters ?? [])}\n");
        if (showMeta)
        {
            sb.Append($"{indent}Hash:         {AclOutputFormats.Hex(p.Hash)}\n");
            sb.Append($"{indent}Create Index: {p.CreateIndex}\n");
            sb.Append($"{indent}Modify Index: {p.ModifyIndex}\n");
        }
    }
}
