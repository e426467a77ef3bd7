using System.Text.Json.Serialization;

namespace Consul.Core.Model;

// Records stored in the catalog. Property names are Consul's JSON field names.

public sealed record Node
{
    public string ID { get; init; } = "";
    [JsonPropertyName("Node")] public string Name { get; init; } = "";
    public string Address { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public Dictionary<string, string> TaggedAddresses { get; init; } = new();
    public Dictionary<string, string> Meta { get; init; } = new();
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}

public sealed record ServiceAddress
{
    public string Address { get; init; } = "";
    public int Port { get; init; }
}

public sealed record Weights
{
    public int Passing { get; init; } = 1;
    public int Warning { get; init; } = 1;
}

/// <summary>A service instance on a node (Consul's structs.NodeService).</summary>
public sealed record NodeService
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Kind { get; init; }
    public string ID { get; init; } = "";
    public string Service { get; init; } = "";
    public List<string> Tags { get; init; } = new();
    public string Address { get; init; } = "";
    public Dictionary<string, ServiceAddress> TaggedAddresses { get; init; } = new();
    public Dictionary<string, string> Meta { get; init; } = new();
    public int Port { get; init; }
    public Weights Weights { get; init; } = new();
    public bool EnableTagOverride { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}

/// <summary>A health check instance (Consul's structs.HealthCheck).</summary>
public sealed record HealthCheck
{
    public string Node { get; init; } = "";
    public string CheckID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = HealthStatus.Critical;
    public string Notes { get; init; } = "";
    public string Output { get; init; } = "";
    public string ServiceID { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public List<string> ServiceTags { get; init; } = new();
    public string Type { get; init; } = "";
    public string Interval { get; init; } = "";
    public string Timeout { get; init; } = "";
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}

/// <summary>A key/value entry (Consul's structs.DirEntry). Value is raw bytes (base64 in JSON).</summary>
public sealed record KVEntry
{
    public ulong LockIndex { get; init; }
    public string Key { get; init; } = "";
    public ulong Flags { get; init; }
    public byte[]? Value { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Session { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}
