using System.Text.Json.Serialization;
using Consul.Core.Acl;

namespace Consul.Agent.Http.Acl;

/// <summary>One entry of GET /v1/acl/tokens, field for field as Consul's structs.ACLTokenListStub.</summary>
public sealed record AclTokenListStub
{
    public string AccessorID { get; init; } = "";
    public string SecretID { get; init; } = "";
    public string Description { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclTokenPolicyLink>? Policies { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclTokenRoleLink>? Roles { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclServiceIdentity>? ServiceIdentities { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclNodeIdentity>? NodeIdentities { get; init; }

    public bool Local { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthMethod { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpirationTime { get; init; }

    public DateTimeOffset CreateTime { get; init; }
    public byte[]? Hash { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>Consul's Token.Stub(); omitempty lists drop out when empty.</summary>
    public static AclTokenListStub From(AclToken t) => new()
    {
        AccessorID = t.AccessorID,
        SecretID = t.SecretID,
        Description = t.Description,
        Policies = AclHttp.NullIfEmpty(t.Policies),
        Roles = AclHttp.NullIfEmpty(t.Roles),
        ServiceIdentities = AclHttp.NullIfEmpty(t.ServiceIdentities),
        NodeIdentities = AclHttp.NullIfEmpty(t.NodeIdentities),
        Local = t.Local,
        AuthMethod = string.IsNullOrEmpty(t.AuthMethod) ? null : t.AuthMethod,
        ExpirationTime = t.HasExpirationTime ? t.ExpirationTime : null,
        CreateTime = t.CreateTime,
        Hash = t.Hash,
        CreateIndex = t.CreateIndex,
        ModifyIndex = t.ModifyIndex,
    };
}

/// <summary>One entry of GET /v1/acl/policies, as Consul's structs.ACLPolicyListStub (Datacenters is not omitempty).</summary>
public sealed record AclPolicyListStub
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<string>? Datacenters { get; init; }
    public byte[]? Hash { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static AclPolicyListStub From(AclPolicy p) => new()
    {
        ID = p.ID,
        Name = p.Name,
        Description = p.Description,
        Datacenters = p.Datacenters,
        Hash = p.Hash,
        CreateIndex = p.CreateIndex,
        ModifyIndex = p.ModifyIndex,
    };
}
