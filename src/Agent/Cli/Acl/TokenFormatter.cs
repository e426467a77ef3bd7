using System.Text;
using Consul.Core.Acl;

namespace Consul.Agent.Cli.Acl;

/// <summary>command/acl/token/formatter.go: the pretty and JSON renderings of tokens.</summary>
internal sealed class TokenFormatter(AclOutputFormat format, bool showMeta)
{
    private const string Ws2 = "\t";
    private const string Ws4 = "\t\t";

    public string FormatToken(AclTokenDto token) =>
        format == AclOutputFormat.Json ? AclJson.Indent(AclJson.Token(token)) : PrettyToken(token);

    public string FormatTokenList(List<AclTokenListEntryDto>? tokens)
    {
        if (format == AclOutputFormat.Json)
            return tokens is null ? "null" : AclJson.Indent(AclJson.Array(tokens, AclJson.TokenListEntry));
        // Entries are separated by a blank line.
        return string.Join("\n", (tokens ?? []).Select(PrettyToken));
    }

    public string FormatTokenExpanded(AclTokenExpandedDto token) =>
        format == AclOutputFormat.Json ? AclJson.Indent(AclJson.TokenExpanded(token)) : PrettyExpanded(token);

    private string PrettyToken(AclTokenFields t)
    {
        var sb = new StringBuilder();
        AppendHeader(sb, t);
        AppendLinks(sb, "", "Policies", t.Policies);
        AppendLinks(sb, "", "Roles", t.Roles);
        AppendIdentities(sb, "", t.ServiceIdentities, t.NodeIdentities, t.TemplatedPolicies);
        return sb.ToString();
    }

    /// <summary>A "Policies:" or "Roles:" section (when there are links): "ID - Name" lines three spaces further in.</summary>
    public static void AppendLinks(StringBuilder sb, string indent, string title, List<AclLink>? links)
    {
        if (links is not { Count: > 0 }) return;
        sb.Append($"{indent}{title}:\n");
        foreach (var l in links) sb.Append($"{indent}   {l.ID} - {l.Name}\n");
    }

    /// <summary>The service identity, node identity and templated policy sections tokens and roles show alike.</summary>
    public static void AppendIdentities(StringBuilder sb, string indent, List<AclServiceIdentityDto>? services,
        List<AclNodeIdentityDto>? nodes, List<AclTemplatedPolicyDto>? templated)
    {
        var item = indent + "   ";
        if (services is { Count: > 0 })
        {
            sb.Append($"{indent}Service Identities:\n");
            foreach (var s in services) sb.Append($"{item}{s.ServiceName} (Datacenters: {Datacenters(s.Datacenters)})\n");
        }
        if (nodes is { Count: > 0 })
        {
            sb.Append($"{indent}Node Identities:\n");
            foreach (var n in nodes) sb.Append($"{item}{n.NodeName} (Datacenter: {n.Datacenter})\n");
        }
        if (templated is { Count: > 0 })
        {
            sb.Append($"{indent}Templated Policies:\n");
            // Each templated policy's name, then its Name variable and datacenters three spaces further in.
            foreach (var tp in templated)
            {
                sb.Append($"{item}{tp.TemplateName}\n");
                if (tp.TemplateVariables is { Name.Length: > 0 } v) sb.Append($"{item}   Name: {v.Name}\n");
                sb.Append($"{item}   Datacenters: {Datacenters(tp.Datacenters)}\n");
            }
        }
    }

    private void AppendHeader(StringBuilder sb, AclTokenFields t)
    {
        sb.Append($"AccessorID:       {t.AccessorID}\n");
        sb.Append($"SecretID:         {t.SecretID}\n");
        if (t.Partition.Length > 0) sb.Append($"Partition:        {t.Partition}\n");
        if (t.Namespace.Length > 0) sb.Append($"Namespace:        {t.Namespace}\n");
        sb.Append($"Description:      {t.Description}\n");
        sb.Append($"Local:            {(t.Local ? "true" : "false")}\n");
        if (t.AuthMethod.Length > 0) sb.Append($"Auth Method:      {t.AuthMethod} (Namespace: {t.AuthMethodNamespace})\n");
        sb.Append($"Create Time:      {t.CreateTime}\n");
        if (t.ExpirationTime is { IsZero: false } exp) sb.Append($"Expiration Time:  {exp}\n");
        if (showMeta)
        {
            sb.Append($"Hash:             {AclOutputFormats.Hex(t.Hash)}\n");
            sb.Append($"Create Index:     {t.CreateIndex}\n");
            sb.Append($"Modify Index:     {t.ModifyIndex}\n");
        }
    }

    private string PrettyExpanded(AclTokenExpandedDto e)
    {
        var t = e.Token;
        var sb = new StringBuilder();
        AppendHeader(sb, t);

        var policies = new Dictionary<string, AclPolicyDto>();
        foreach (var p in e.ExpandedPolicies ?? []) policies[p.ID] = p;
        var roles = new Dictionary<string, AclRoleDto>();
        foreach (var r in e.ExpandedRoles ?? []) roles[r.ID] = r;
        // A link to a policy or role missing from the expansion prints Go's zero value.
        AclPolicyDto PolicyOf(string id) => policies.TryGetValue(id, out var p) ? p : new AclPolicyDto();
        AclRoleDto RoleOf(string id) => roles.TryGetValue(id, out var r) ? r : new AclRoleDto();

        if (t.Policies is { Count: > 0 })
        {
            sb.Append("Policies:\n");
            foreach (var link in t.Policies) AppendPolicy(sb, PolicyOf(link.ID), Ws2);
        }
        if (t.ServiceIdentities is { Count: > 0 })
        {
            sb.Append("Service Identities:\n");
            foreach (var s in t.ServiceIdentities) AppendServiceIdentity(sb, s, Ws2);
        }
        if (t.NodeIdentities is { Count: > 0 })
        {
            sb.Append("Node Identities:\n");
            foreach (var n in t.NodeIdentities) AppendNodeIdentity(sb, n, Ws2);
        }
        if (t.TemplatedPolicies is { Count: > 0 })
        {
            sb.Append("Templated Policies:\n");
            foreach (var tp in t.TemplatedPolicies) AppendTemplatedPolicy(sb, tp, Ws2);
        }
        if (t.Roles is { Count: > 0 })
        {
            sb.Append("Roles:\n");
            foreach (var link in t.Roles) AppendRole(sb, RoleOf(link.ID), Ws2, PolicyOf);
        }
        sb.Append("=== End of Authorizer Layer 0: Token ===\n");

        if (e.NamespaceDefaultPolicyIDs is { Count: > 0 } || e.NamespaceDefaultRoleIDs is { Count: > 0 })
        {
            sb.Append("=== Start of Authorizer Layer 1: Token Namespace’s Defaults (Inherited) ===\n");
            sb.Append($"Description: ACL Roles inherited by all Tokens in Namespace {GoFlagSet.GoQuote(t.Namespace)}\n\n");
            sb.Append("Namespace Policy Defaults:\n");
            foreach (var id in e.NamespaceDefaultPolicyIDs ?? []) AppendPolicy(sb, PolicyOf(id), Ws2);
            sb.Append("Namespace Role Defaults:\n");
            foreach (var id in e.NamespaceDefaultRoleIDs ?? []) AppendRole(sb, RoleOf(id), Ws2, PolicyOf);
            sb.Append("=== End of Authorizer Layer 1: Token Namespace’s Defaults (Inherited) ===\n");
        }

        sb.Append("=== Start of Authorizer Layer 2: Agent Configuration Defaults (Inherited) ===\n");
        sb.Append("Description: Defined at request-time by the agent that resolves the ACL token; other agents may have different configuration defaults\n");
        sb.Append($"Resolved By Agent: {GoFlagSet.GoQuote(e.ResolvedByAgent)}\n\n");
        sb.Append($"Default Policy: {e.AgentACLDefaultPolicy}\n");
        sb.Append(Ws2 + "Description: Backstop rule used if no preceding layer has a matching rule (refer to default_policy option in agent configuration)\n\n");
        sb.Append($"Down Policy: {e.AgentACLDownPolicy}\n");
        sb.Append(Ws2 + "Description: Defines what to do if this Token's information cannot be read from the primary_datacenter (refer to down_policy option in agent configuration)\n\n");
        return sb.ToString();
    }

    private static void AppendPolicy(StringBuilder sb, AclPolicyDto p, string indent)
    {
        sb.Append($"{indent}Policy Name: {p.Name}\n");
        sb.Append($"{indent}{Ws2}ID: {p.ID}\n");
        sb.Append($"{indent}{Ws2}Description: {p.Description}\n");
        sb.Append($"{indent}{Ws2}Rules:\n");
        sb.Append(indent + Ws4).Append(p.Rules.Replace("\n", "\n" + indent + Ws4)).Append("\n\n");
    }

    private static void AppendRole(StringBuilder sb, AclRoleDto r, string indent, Func<string, AclPolicyDto> policyOf)
    {
        sb.Append($"{indent}Role Name: {r.Name}\n");
        sb.Append($"{indent}{Ws2}ID: {r.ID}\n");
        sb.Append($"{indent}{Ws2}Description: {r.Description}\n");
        if (r.Policies is { Count: > 0 })
        {
            sb.Append(indent + Ws2 + "Policies:\n");
            foreach (var link in r.Policies) AppendPolicy(sb, policyOf(link.ID), indent + Ws4);
        }
        if (r.ServiceIdentities is { Count: > 0 })
        {
            sb.Append(indent + Ws2 + "Service Identities:\n");
            foreach (var s in r.ServiceIdentities) AppendServiceIdentity(sb, s, indent + Ws4);
        }
        if (r.NodeIdentities is { Count: > 0 })
        {
            sb.Append(indent + Ws2 + "Node Identities:\n");
            foreach (var n in r.NodeIdentities) AppendNodeIdentity(sb, n, indent + Ws4);
        }
    }

    private static void AppendServiceIdentity(StringBuilder sb, AclServiceIdentityDto s, string indent)
    {
        sb.Append($"{indent}Name: {s.ServiceName} (Datacenters: {Datacenters(s.Datacenters)})\n");
        AppendSynthetic(sb, "builtin/service", ServiceRules(s.ServiceName), indent);
    }

    private static void AppendNodeIdentity(StringBuilder sb, AclNodeIdentityDto n, string indent)
    {
        sb.Append($"{indent}Name: {n.NodeName} (Datacenter: {n.Datacenter})\n");
        AppendSynthetic(sb, "builtin/node", NodeRules(n.NodeName), indent);
    }

    private static void AppendTemplatedPolicy(StringBuilder sb, AclTemplatedPolicyDto tp, string indent)
    {
        sb.Append($"{indent}{tp.TemplateName}\n");
        var name = tp.TemplateVariables?.Name ?? "";
        if (name.Length > 0) sb.Append($"{indent}{Ws2}Name: {name}\n");
        sb.Append($"{indent}{Ws2}Datacenters: {Datacenters(tp.Datacenters)}\n");
        // Only the two templates this agent knows can be rendered client-side.
        var rules = tp.TemplateName switch
        {
            "builtin/service" => ServiceRules(name),
            "builtin/node" => NodeRules(name),
            _ => "",
        };
        AppendSynthetic(sb, tp.TemplateName, rules, indent);
    }

    // displaySyntheticPolicy: the rules template starts with a newline, so they begin on the next line.
    private static void AppendSynthetic(StringBuilder sb, string template, string rules, string indent)
    {
        sb.Append($"{indent}{Ws2}Description: synthetic policy generated from templated policy: {template}\n");
        sb.Append(indent + Ws2 + "Rules:").Append(rules.Replace("\n", "\n" + indent + Ws4)).Append("\n\n");
    }

    private static string ServiceRules(string name) => new AclServiceIdentity { ServiceName = name }.SyntheticPolicy().Rules;

    private static string NodeRules(string name) => new AclNodeIdentity { NodeName = name, Datacenter = "" }.SyntheticPolicy().Rules;

    public static string Datacenters(List<string>? dcs) => dcs is { Count: > 0 } ? string.Join(", ", dcs) : "all";
}
