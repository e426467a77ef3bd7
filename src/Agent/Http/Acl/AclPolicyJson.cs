using Consul.Core.Acl;

namespace Consul.Agent.Http.Acl;

/// <summary>A policy as Consul's structs.ACLPolicy encodes it: Datacenters is always present (null when unset).</summary>
public sealed record AclPolicyJson
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Rules { get; init; } = "";
    public IReadOnlyList<string>? Datacenters { get; init; }
    public byte[]? Hash { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static AclPolicyJson From(AclPolicy p) => new()
    {
        ID = p.ID,
        Name = p.Name,
        Description = p.Description,
        Rules = p.Rules,
        Datacenters = p.Datacenters,
        Hash = p.Hash,
        CreateIndex = p.CreateIndex,
        ModifyIndex = p.ModifyIndex,
    };
}
