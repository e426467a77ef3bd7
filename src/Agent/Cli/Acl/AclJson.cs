using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli.Acl;

/// <summary>
/// encoding/json's rendering of the api ACL structs: fields in Go declaration order,
/// `omitempty` fields dropped when empty, nil slices as null, []byte as base64.
/// </summary>
internal static class AclJson
{
    /// <summary>json.MarshalIndent(v, "", "    ") as the -format=json output uses.</summary>
    public static string Indent(JsonNode? node) => node is null ? "null" : GoJson.Indent(node, "    ");

    /// <summary>json.Encoder.Encode as the api client sends request bodies: compact, newline-terminated.</summary>
    public static byte[] Body(JsonNode node) => Encoding.UTF8.GetBytes(GoJson.Compact(node) + "\n");

    public static JsonObject Token(AclTokenDto t)
    {
        var o = new JsonObject();
        AddTokenHead(o, t);
        if (t.ExpirationTTL != 0) o["ExpirationTTL"] = t.ExpirationTTL;
        AddTokenTail(o, t, hashOmitEmpty: true);
        return o;
    }

    public static JsonObject TokenListEntry(AclTokenListEntryDto t)
    {
        var o = new JsonObject();
        AddTokenHead(o, t);
        AddTokenTail(o, t, hashOmitEmpty: false);
        return o;
    }

    /// <summary>api.ACLTokenExpanded: its own fields, then the embedded ACLToken's.</summary>
    public static JsonObject TokenExpanded(AclTokenExpandedDto e)
    {
        var o = new JsonObject
        {
            ["ExpandedPolicies"] = List(e.ExpandedPolicies, Policy),
            ["ExpandedRoles"] = List(e.ExpandedRoles, Role),
            ["NamespaceDefaultPolicyIDs"] = List(e.NamespaceDefaultPolicyIDs, s => JsonValue.Create(s)),
            ["NamespaceDefaultRoleIDs"] = List(e.NamespaceDefaultRoleIDs, s => JsonValue.Create(s)),
            ["AgentACLDefaultPolicy"] = e.AgentACLDefaultPolicy,
            ["AgentACLDownPolicy"] = e.AgentACLDownPolicy,
            ["ResolvedByAgent"] = e.ResolvedByAgent,
        };
        foreach (var (key, value) in Token(e.Token).ToList()) o[key] = value?.DeepClone();
        return o;
    }

    public static JsonObject Policy(AclPolicyDto p)
    {
        var o = new JsonObject
        {
            ["ID"] = p.ID,
            ["Name"] = p.Name,
            ["Description"] = p.Description,
            ["Rules"] = p.Rules,
            ["Datacenters"] = List(p.Datacenters, s => JsonValue.Create(s)),
        };
        AddStoredFields(o, p.Hash, p.CreateIndex, p.ModifyIndex, p.Namespace, p.Partition);
        return o;
    }

    /// <summary>api.ACLPolicyListEntry: a policy without its Rules.</summary>
    public static JsonObject PolicyListEntry(AclPolicyDto p)
    {
        var o = Policy(p);
        o.Remove("Rules");
        return o;
    }

    public static JsonObject Role(AclRoleDto r)
    {
        var o = new JsonObject
        {
            ["ID"] = r.ID,
            ["Name"] = r.Name,
            ["Description"] = r.Description,
        };
        AddIfAny(o, "Policies", r.Policies, Link);
        AddIfAny(o, "ServiceIdentities", r.ServiceIdentities, ServiceIdentity);
        AddIfAny(o, "NodeIdentities", r.NodeIdentities, NodeIdentity);
        AddIfAny(o, "TemplatedPolicies", r.TemplatedPolicies, TemplatedPolicy);
        AddStoredFields(o, r.Hash, r.CreateIndex, r.ModifyIndex, r.Namespace, r.Partition);
        return o;
    }

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode> one) => new(items.Select(i => (JsonNode?)one(i)).ToArray());

    private static void AddTokenHead(JsonObject o, AclTokenFields t)
    {
        o["CreateIndex"] = t.CreateIndex;
        o["ModifyIndex"] = t.ModifyIndex;
        o["AccessorID"] = t.AccessorID;
        o["SecretID"] = t.SecretID;
        o["Description"] = t.Description;
        AddIfAny(o, "Policies", t.Policies, Link);
        AddIfAny(o, "Roles", t.Roles, Link);
        AddIfAny(o, "ServiceIdentities", t.ServiceIdentities, ServiceIdentity);
        AddIfAny(o, "NodeIdentities", t.NodeIdentities, NodeIdentity);
        AddIfAny(o, "TemplatedPolicies", t.TemplatedPolicies, TemplatedPolicy);
        o["Local"] = t.Local;
        if (t.AuthMethod.Length > 0) o["AuthMethod"] = t.AuthMethod;
    }

    private static void AddTokenTail(JsonObject o, AclTokenFields t, bool hashOmitEmpty)
    {
        if (t.ExpirationTime is { } exp) o["ExpirationTime"] = exp.ToRfc3339Nano();
        o["CreateTime"] = t.CreateTime.ToRfc3339Nano();
        if (!hashOmitEmpty) o["Hash"] = Bytes(t.Hash);
        else if (t.Hash is { Length: > 0 }) o["Hash"] = Convert.ToBase64String(t.Hash);
        AddTenancy(o, t.Namespace, t.Partition);
        if (t.AuthMethodNamespace.Length > 0) o["AuthMethodNamespace"] = t.AuthMethodNamespace;
    }

    // The tail api.ACLPolicy and api.ACLRole share: Hash (not omitempty), the indices, then tenancy.
    private static void AddStoredFields(JsonObject o, byte[]? hash, ulong createIndex, ulong modifyIndex, string ns, string partition)
    {
        o["Hash"] = Bytes(hash);
        o["CreateIndex"] = createIndex;
        o["ModifyIndex"] = modifyIndex;
        AddTenancy(o, ns, partition);
    }

    private static void AddTenancy(JsonObject o, string ns, string partition)
    {
        if (ns.Length > 0) o["Namespace"] = ns;
        if (partition.Length > 0) o["Partition"] = partition;
    }

    private static JsonNode Link(AclLink l) => new JsonObject { ["ID"] = l.ID, ["Name"] = l.Name };

    private static JsonNode ServiceIdentity(AclServiceIdentityDto s)
    {
        var o = new JsonObject { ["ServiceName"] = s.ServiceName };
        AddIfAny(o, "Datacenters", s.Datacenters, d => JsonValue.Create(d));
        return o;
    }

    private static JsonNode NodeIdentity(AclNodeIdentityDto n) =>
        new JsonObject { ["NodeName"] = n.NodeName, ["Datacenter"] = n.Datacenter };

    private static JsonNode TemplatedPolicy(AclTemplatedPolicyDto t)
    {
        var o = new JsonObject { ["TemplateName"] = t.TemplateName };
        if (t.TemplateVariables is { } v) o["TemplateVariables"] = new JsonObject { ["Name"] = v.Name };
        AddIfAny(o, "Datacenters", t.Datacenters, d => JsonValue.Create(d));
        return o;
    }

    private static void AddIfAny<T>(JsonObject o, string key, List<T>? items, Func<T, JsonNode?> one)
    {
        if (items is { Count: > 0 }) o[key] = new JsonArray(items.Select(one).ToArray());
    }

    private static JsonNode? List<T>(List<T>? items, Func<T, JsonNode?> one) =>
        items is null ? null : new JsonArray(items.Select(one).ToArray());

    private static JsonNode? Bytes(byte[]? b) => b is null ? null : JsonValue.Create(Convert.ToBase64String(b));
}
