using System.Text.Json;
using System.Text.Json.Serialization;

namespace Consul.Agent.Cli.Acl;

// The github.com/hashicorp/consul/api ACL structs the CLI decodes replies into and encodes
// requests from. Decoding is case-insensitive and drops unknown fields, as encoding/json does;
// encoding (Go field order, omitempty) lives in AclJson.

internal sealed class AclLink
{
    public string ID { get; set; } = "";
    public string Name { get; set; } = "";
}

internal sealed class AclServiceIdentityDto
{
    public string ServiceName { get; set; } = "";
    public List<string>? Datacenters { get; set; }
}

internal sealed class AclNodeIdentityDto
{
    public string NodeName { get; set; } = "";
    public string Datacenter { get; set; } = "";
}

internal sealed class AclTemplatedPolicyVariablesDto
{
    public string Name { get; set; } = "";
}

internal sealed class AclTemplatedPolicyDto
{
    public string TemplateName { get; set; } = "";
    public AclTemplatedPolicyVariablesDto? TemplateVariables { get; set; }
    public List<string>? Datacenters { get; set; }
}

/// <summary>The fields api.ACLToken and api.ACLTokenListEntry share.</summary>
internal abstract class AclTokenFields
{
    public ulong CreateIndex { get; set; }
    public ulong ModifyIndex { get; set; }
    public string AccessorID { get; set; } = "";
    public string SecretID { get; set; } = "";
    public string Description { get; set; } = "";
    public List<AclLink>? Policies { get; set; }
    public List<AclLink>? Roles { get; set; }
    public List<AclServiceIdentityDto>? ServiceIdentities { get; set; }
    public List<AclNodeIdentityDto>? NodeIdentities { get; set; }
    public List<AclTemplatedPolicyDto>? TemplatedPolicies { get; set; }
    public bool Local { get; set; }
    public string AuthMethod { get; set; } = "";
    public GoTime? ExpirationTime { get; set; }
    public GoTime CreateTime { get; set; } = GoTime.Zero;
    public byte[]? Hash { get; set; }
    public string Namespace { get; set; } = "";
    public string Partition { get; set; } = "";
    public string AuthMethodNamespace { get; set; } = "";
}

/// <summary>api.ACLToken.</summary>
internal sealed class AclTokenDto : AclTokenFields
{
    [JsonConverter(typeof(GoNanosJsonConverter))]
    public long ExpirationTTL { get; set; }
}

/// <summary>api.ACLTokenListEntry.</summary>
internal sealed class AclTokenListEntryDto : AclTokenFields;

/// <summary>api.ACLTokenExpanded: the token plus the policies and roles it resolves to.</summary>
internal sealed class AclTokenExpandedDto
{
    public List<AclPolicyDto>? ExpandedPolicies { get; set; }
    public List<AclRoleDto>? ExpandedRoles { get; set; }
    public List<string>? NamespaceDefaultPolicyIDs { get; set; }
    public List<string>? NamespaceDefaultRoleIDs { get; set; }
    public string AgentACLDefaultPolicy { get; set; } = "";
    public string AgentACLDownPolicy { get; set; } = "";
    public string ResolvedByAgent { get; set; } = "";

    /// <summary>The embedded api.ACLToken (its fields sit at the same JSON level).</summary>
    [JsonIgnore] public AclTokenDto Token { get; set; } = new();
}

/// <summary>api.ACLPolicy (Rules set) and api.ACLPolicyListEntry (no Rules).</summary>
internal sealed class AclPolicyDto
{
    public string ID { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Rules { get; set; } = "";
    public List<string>? Datacenters { get; set; }
    public byte[]? Hash { get; set; }
    public ulong CreateIndex { get; set; }
    public ulong ModifyIndex { get; set; }
    public string Namespace { get; set; } = "";
    public string Partition { get; set; } = "";
}

/// <summary>api.ACLRole.</summary>
internal sealed class AclRoleDto
{
    public string ID { get; set; } = "";
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public List<AclLink>? Policies { get; set; }
    public List<AclServiceIdentityDto>? ServiceIdentities { get; set; }
    public List<AclNodeIdentityDto>? NodeIdentities { get; set; }
    public List<AclTemplatedPolicyDto>? TemplatedPolicies { get; set; }
    public byte[]? Hash { get; set; }
    public ulong CreateIndex { get; set; }
    public ulong ModifyIndex { get; set; }
    public string Namespace { get; set; } = "";
    public string Partition { get; set; } = "";
}

/// <summary>Decodes replies the way encoding/json does into the api structs.</summary>
internal static class AclDecode
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new GoTimeJsonConverter(), new GoStringJsonConverter() },
    };

    public static T Read<T>(string json) where T : new() =>
        JsonSerializer.Deserialize<T>(json, Options) ?? new T();

    /// <summary>A JSON array; "null" decodes to null (a nil slice), as in Go.</summary>
    public static List<T>? ReadList<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, Options);

    public static AclTokenExpandedDto ReadExpanded(string json)
    {
        var expanded = Read<AclTokenExpandedDto>(json);
        expanded.Token = Read<AclTokenDto>(json);
        return expanded;
    }
}

/// <summary>A JSON null leaves a Go string empty; never null here.</summary>
internal sealed class GoStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? "" : reader.GetString() ?? "";

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
