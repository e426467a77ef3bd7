using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Consul.Core.Acl;

// JSON shapes of Consul's /v1/acl/{token,policy,role} objects (agent/structs/acl.go).
// Lists that Consul marks omitempty are nullable here so they drop out of JSON when unset.

public sealed record AclTokenPolicyLink
{
    [JsonPropertyName("ID")] public string ID { get; init; } = "";
    [JsonPropertyName("Name")] public string Name { get; init; } = "";
}

public sealed record AclTokenRoleLink
{
    [JsonPropertyName("ID")] public string ID { get; init; } = "";
    [JsonPropertyName("Name")] public string Name { get; init; } = "";
}

public sealed record AclRolePolicyLink
{
    [JsonPropertyName("ID")] public string ID { get; init; } = "";
    [JsonPropertyName("Name")] public string Name { get; init; } = "";
}

/// <summary>Grants what a service instance and its sidecar need (templated policy builtin/service).</summary>
public sealed record AclServiceIdentity
{
    [JsonPropertyName("ServiceName")] public string ServiceName { get; init; } = "";

    /// <summary>Datacenters the grant applies in; empty means all.</summary>
    [JsonPropertyName("Datacenters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Datacenters { get; init; }

    /// <summary>The synthesized policy: write on the service and its "-sidecar-proxy", read on all services and nodes.</summary>
    public AclPolicy SyntheticPolicy()
    {
        var rules = AclBuiltins.ServiceIdentityTemplate.Replace("{{.Name}}", ServiceName, StringComparison.Ordinal);
        var id = AclHashing.SyntheticPolicyId(rules);
        return new AclPolicy
        {
            ID = id,
            Name = "synthetic-policy-" + id,
            Description = $"synthetic policy for service identity {SegmentRule.Q(ServiceName)}",
            Rules = rules,
            Datacenters = Datacenters,
        };
    }
}

/// <summary>Grants what a node's agent needs (templated policy builtin/node), in one datacenter.</summary>
public sealed record AclNodeIdentity
{
    [JsonPropertyName("NodeName")] public string NodeName { get; init; } = "";
    [JsonPropertyName("Datacenter")] public string Datacenter { get; init; } = "";

    /// <summary>The synthesized policy: write on the node, read on all services; valid only in <see cref="Datacenter"/>.</summary>
    public AclPolicy SyntheticPolicy()
    {
        var rules = AclBuiltins.NodeIdentityTemplate.Replace("{{.Name}}", NodeName, StringComparison.Ordinal);
        var id = AclHashing.SyntheticPolicyId(rules);
        return new AclPolicy
        {
            ID = id,
            Name = "synthetic-policy-" + id,
            Description = $"synthetic policy for node identity {SegmentRule.Q(NodeName)}",
            Rules = rules,
            Datacenters = [Datacenter],
        };
    }
}

public sealed record AclPolicy
{
    [JsonPropertyName("ID")] public string ID { get; init; } = "";
    [JsonPropertyName("Name")] public string Name { get; init; } = "";
    [JsonPropertyName("Description")] public string Description { get; init; } = "";
    [JsonPropertyName("Rules")] public string Rules { get; init; } = "";

    /// <summary>Datacenters the policy is valid in; empty or null means all.</summary>
    [JsonPropertyName("Datacenters")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Datacenters { get; init; }

    [JsonPropertyName("Hash")] public byte[]? Hash { get; init; }
    [JsonPropertyName("CreateIndex")] public ulong CreateIndex { get; init; }
    [JsonPropertyName("ModifyIndex")] public ulong ModifyIndex { get; init; }

    /// <summary>True when the policy applies in the given datacenter.</summary>
    public bool ValidIn(string datacenter) =>
        Datacenters is null || Datacenters.Count == 0 || Datacenters.Contains(datacenter);

    public AclPolicy WithHash() => this with { Hash = AclHashing.Hash(h =>
    {
        h.Add(Name); h.Add(Description); h.Add(Rules);
        foreach (var dc in Datacenters ?? []) h.Add(dc);
    }) };
}

public sealed record AclRole
{
    [JsonPropertyName("ID")] public string ID { get; init; } = "";
    [JsonPropertyName("Name")] public string Name { get; init; } = "";
    [JsonPropertyName("Description")] public string Description { get; init; } = "";

    [JsonPropertyName("Policies")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclRolePolicyLink>? Policies { get; init; }

    [JsonPropertyName("ServiceIdentities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclServiceIdentity>? ServiceIdentities { get; init; }

    [JsonPropertyName("NodeIdentities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclNodeIdentity>? NodeIdentities { get; init; }

    [JsonPropertyName("Hash")] public byte[]? Hash { get; init; }
    [JsonPropertyName("CreateIndex")] public ulong CreateIndex { get; init; }
    [JsonPropertyName("ModifyIndex")] public ulong ModifyIndex { get; init; }

    public AclRole WithHash() => this with { Hash = AclHashing.Hash(h =>
    {
        h.Add(Name); h.Add(Description);
        foreach (var p in Policies ?? []) h.Add(p.ID);
        foreach (var s in ServiceIdentities ?? []) { h.Add(s.ServiceName); foreach (var dc in s.Datacenters ?? []) h.Add(dc); }
        foreach (var n in NodeIdentities ?? []) { h.Add(n.NodeName); h.Add(n.Datacenter); }
    }) };
}

public sealed record AclToken
{
    [JsonPropertyName("AccessorID")] public string AccessorID { get; init; } = "";
    [JsonPropertyName("SecretID")] public string SecretID { get; init; } = "";
    [JsonPropertyName("Description")] public string Description { get; init; } = "";

    [JsonPropertyName("Policies")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclTokenPolicyLink>? Policies { get; init; }

    [JsonPropertyName("Roles")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclTokenRoleLink>? Roles { get; init; }

    [JsonPropertyName("ServiceIdentities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclServiceIdentity>? ServiceIdentities { get; init; }

    [JsonPropertyName("NodeIdentities")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AclNodeIdentity>? NodeIdentities { get; init; }

    [JsonPropertyName("Local")] public bool Local { get; init; }

    [JsonPropertyName("AuthMethod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AuthMethod { get; init; }

    /// <summary>After this instant the token counts as revoked ("ACL not found"). Null: never expires.</summary>
    [JsonPropertyName("ExpirationTime")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpirationTime { get; init; }

    /// <summary>Create-time convenience: ExpirationTime = CreateTime + TTL. Reads "2m" or nanoseconds, writes nanoseconds as Go does.</summary>
    [JsonPropertyName("ExpirationTTL")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? ExpirationTTL { get; init; }

    [JsonPropertyName("CreateTime")] public DateTimeOffset CreateTime { get; init; }
    [JsonPropertyName("Hash")] public byte[]? Hash { get; init; }
    [JsonPropertyName("CreateIndex")] public ulong CreateIndex { get; init; }
    [JsonPropertyName("ModifyIndex")] public ulong ModifyIndex { get; init; }

    public IEnumerable<string> PolicyIDs() => (Policies ?? []).Select(p => p.ID);
    public IEnumerable<string> RoleIDs() => (Roles ?? []).Select(r => r.ID);

    [JsonIgnore]
    public bool HasExpirationTime => ExpirationTime is { } t && t != default;

    /// <summary>Consul's IsExpired: strictly after ExpirationTime.</summary>
    public bool IsExpired(DateTimeOffset asOf) => HasExpirationTime && ExpirationTime!.Value < asOf;

    /// <summary>Turns ExpirationTTL into ExpirationTime (as token create does) and clears the TTL.</summary>
    public AclToken ApplyExpirationTtl() =>
        ExpirationTTL is { } ttl && ttl > TimeSpan.Zero
            ? this with { ExpirationTime = CreateTime + ttl, ExpirationTTL = null }
            : this with { ExpirationTTL = null };

    /// <summary>Content hash over the user-set fields (as Consul's SetHash; SHA-256 instead of BLAKE2b).</summary>
    public AclToken WithHash() => this with { Hash = AclHashing.Hash(h =>
    {
        h.Add(Description);
        h.Add(Local ? "local" : "global");
        foreach (var p in Policies ?? []) h.Add(p.ID);
        foreach (var r in Roles ?? []) h.Add(r.ID);
        foreach (var s in ServiceIdentities ?? []) { h.Add(s.ServiceName); foreach (var dc in s.Datacenters ?? []) h.Add(dc); }
        foreach (var n in NodeIdentities ?? []) { h.Add(n.NodeName); h.Add(n.Datacenter); }
    }) };
}

internal static class AclHashing
{
    public sealed class Builder
    {
        internal readonly IncrementalHash Inner = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public void Add(string s) => Inner.AppendData(Encoding.UTF8.GetBytes(s));
    }

    public static byte[] Hash(Action<Builder> fill)
    {
        var b = new Builder();
        fill(b);
        using (b.Inner) return b.Inner.GetHashAndReset();
    }

    /// <summary>Synthetic policy IDs are a digest of their rules (Consul: fnv128a hex), so equal identities share cache entries.</summary>
    public static string SyntheticPolicyId(string rules) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rules)).AsSpan(0, 16));
}
