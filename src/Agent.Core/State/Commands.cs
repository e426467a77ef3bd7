using System.Text.Json.Serialization;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>
/// A write to the replicated state. Commands are serialized to bytes, appended to the
/// log (in-memory for a dev agent, Raft for servers) and applied by <see cref="StateMachine"/>
/// in log order, each stamped with its log index.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "Op")]
[JsonDerivedType(typeof(RegisterCommand), "register")]
[JsonDerivedType(typeof(DeregisterCommand), "deregister")]
[JsonDerivedType(typeof(KVCommand), "kv")]
[JsonDerivedType(typeof(SessionCommand), "session")]
[JsonDerivedType(typeof(TxnCommand), "txn")]
[JsonDerivedType(typeof(AclCommand), "acl")]
[JsonDerivedType(typeof(PreparedQueryCommand), "prepared-query")]
[JsonDerivedType(typeof(CoordinateBatchCommand), "coordinates")]
public abstract record StateCommand;

/// <summary>Consul's structs.RegisterRequest: a node with optional service and checks.</summary>
public sealed record RegisterCommand : StateCommand
{
    public string Node { get; init; } = "";
    public string ID { get; init; } = "";
    public string Address { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public Dictionary<string, string>? TaggedAddresses { get; init; }
    public Dictionary<string, string>? NodeMeta { get; init; }
    public NodeService? Service { get; init; }
    public HealthCheck? Check { get; init; }
    public List<HealthCheck>? Checks { get; init; }
    public bool SkipNodeUpdate { get; init; }
}

/// <summary>Consul's structs.DeregisterRequest: a whole node, one service, or one check.</summary>
public sealed record DeregisterCommand : StateCommand
{
    public string Node { get; init; } = "";
    public string? ServiceID { get; init; }
    public string? CheckID { get; init; }
}

/// <summary>KV operations, as Consul's api.KVOp.</summary>
public static class KVOps
{
    public const string Set = "set";
    public const string Cas = "cas";
    public const string Delete = "delete";
    public const string DeleteCas = "delete-cas";
    public const string DeleteTree = "delete-tree";
    public const string Lock = "lock";
    public const string Unlock = "unlock";
}

/// <summary>Consul's structs.KVSRequest.</summary>
public sealed record KVCommand : StateCommand
{
    public string Verb { get; init; } = KVOps.Set;
    public string Key { get; init; } = "";
    public ulong Flags { get; init; }
    public byte[]? Value { get; init; }
    public string? Session { get; init; }
    /// <summary>For cas / delete-cas: the ModifyIndex the entry must still have (0 = must not exist).</summary>
    public ulong ModifyIndex { get; init; }
}

/// <summary>Consul's structs.SessionRequest: create (with a server-chosen ID) or destroy.</summary>
public sealed record SessionCommand : StateCommand
{
    public const string Create = "create";
    public const string Destroy = "destroy";

    public string Verb { get; init; } = Create;
    public Session Session { get; init; } = new();
}

/// <summary>Consul's structs.TxnRequest: operations applied all or nothing.</summary>
public sealed record TxnCommand : StateCommand
{
    public List<TxnOp> Ops { get; init; } = new();
}

/// <summary>One transaction operation; exactly one of the parts is set.</summary>
public sealed record TxnOp
{
    public TxnKVOp? KV { get; init; }
    public TxnNodeOp? Node { get; init; }
    public TxnServiceOp? Service { get; init; }
    public TxnCheckOp? Check { get; init; }
}

public sealed record TxnKVOp(string Verb, string Key, ulong Flags, byte[]? Value, ulong Index, string? Session);
public sealed record TxnNodeOp(string Verb, Node Node);
public sealed record TxnServiceOp(string Verb, string Node, NodeService Service);
public sealed record TxnCheckOp(string Verb, HealthCheck Check);

/// <summary>
/// A write to the ACL tables (Consul's ACLTokenSetRequest, ACLPolicySetRequest, ... and the
/// bootstrap request). The proposer fills IDs, secrets, hashes and times; the state machine
/// checks uniqueness and stamps the indexes.
/// </summary>
public sealed record AclCommand : StateCommand
{
    public const string TokenSet = "token-set";
    public const string TokenDelete = "token-delete";
    public const string PolicySet = "policy-set";
    public const string PolicyDelete = "policy-delete";
    public const string RoleSet = "role-set";
    public const string RoleDelete = "role-delete";
    /// <summary>Stores <see cref="Token"/> as the bootstrap token once (or again with the matching <see cref="ResetIndex"/>).</summary>
    public const string Bootstrap = "bootstrap";

    public string Verb { get; init; } = TokenSet;
    public Acl.AclToken? Token { get; init; }
    public Acl.AclPolicy? Policy { get; init; }
    public Acl.AclRole? Role { get; init; }
    /// <summary>AccessorID, policy ID or role ID for the delete verbs.</summary>
    public string? ID { get; init; }
    /// <summary>For bootstrap: the reset index from acl-bootstrap-reset (0 = none).</summary>
    public ulong ResetIndex { get; init; }
    /// <summary>For set verbs: fail instead of replacing when the ID already exists (create, not update).</summary>
    public bool CreateOnly { get; init; }
}

/// <summary>
/// Consul's structs.PreparedQueryRequest: create, update or delete. The proposer chooses the ID
/// of a new query and validates the fields that need no state (Consul's parseQuery).
/// </summary>
public sealed record PreparedQueryCommand : StateCommand
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";

    public string Verb { get; init; } = Create;
    public PreparedQuery Query { get; init; } = new();
}

/// <summary>What applying a command produced: an error message or a value (bool for CAS-style ops).</summary>
public sealed record ApplyResult(ulong Index, object? Value, string? Error)
{
    public bool Ok => Error is null;
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StateCommand))]
internal sealed partial class CommandJsonContext : JsonSerializerContext;

/// <summary>One node's LAN coordinate (Consul's structs.Coordinate: Node, Segment, Coord).</summary>
public sealed record CoordinateUpdate(string Node, string Segment, Coordinate Coord);

/// <summary>Consul's CoordinateBatchUpdateType: coordinates for nodes in the catalog; others are skipped.</summary>
public sealed record CoordinateBatchCommand : StateCommand
{
    public List<CoordinateUpdate> Updates { get; init; } = [];
}
