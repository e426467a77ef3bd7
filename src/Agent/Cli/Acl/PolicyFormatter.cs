using System.Text;

namespace Consul.Agent.Cli.Acl;

/// <summary>command/acl/policy/formatter.go.</summary>
internal sealed class PolicyFormatter(AclOutputFormat format, bool showMeta)
{
    public string FormatPolicy(AclPolicyDto p)
    {
        if (format == AclOutputFormat.Json) return AclJson.Indent(AclJson.Policy(p));
        var sb = new StringBuilder();
        sb.Append($"ID:           {p.ID}\n");
        sb.Append($"Name:         {p.Name}\n");
        if (p.Partition.Length > 0) sb.Append($"Partition:    {p.Partition}\n");
        if (p.Namespace.Length > 0) sb.Append($"Namespace:    {p.Namespace}\n");
        sb.Append($"Description:  {p.Description}\n");
        sb.Append($"Datacenters:  {string.Join(", ", p.Datacenters ?? [])}\n");
        if (showMeta)
        {
            sb.Append($"Hash:         {AclOutputFormats.Hex(p.Hash)}\n");
            sb.Append($"Create Index: {p.CreateIndex}\n");
            sb.Append($"Modify Index: {p.ModifyIndex}\n");
        }
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
            sb.Append($"   ID:           {p.ID}\n");
            if (p.Partition.Length > 0) sb.Append($"   Partition:    {p.Partition}\n");
            if (p.Namespace.Length > 0) sb.Append($"   Namespace:    {p.Namespace}\n");
            sb.Append($"   Description:  {p.Description}\n");
            sb.Append($"   Datacenters:  {string.Join(", ", p.Datacenters ?? [])}\n");
            if (showMeta)
            {
                sb.Append($"   Hash:         {AclOutputFormats.Hex(p.Hash)}\n");
                sb.Append($"   Create Index: {p.CreateIndex}\n");
                sb.Append($"   Modify Index: {p.ModifyIndex}\n");
            }
        }
        return sb.ToString();
    }
}
