using System.Text.Json.Serialization;
using Consul.Core.Model;

namespace Consul.Agent.Http;

// Response shapes that differ from the stored records, with Consul's field names and order.

/// <summary>Consul's api.AgentService (agent/services, agent/service/:id).</summary>
public sealed record AgentServiceJson
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Kind { get; init; }
    public string ID { get; init; } = "";
    public string Service { get; init; } = "";
    public List<string> Tags { get; init; } = new();
    public Dictionary<string, string> Meta { get; init; } = new();
    public int Port { get; init; }
    public string Address { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, ServiceAddress>? TaggedAddresses { get; init; }
    public Weights Weights { get; init; } = new();
    public bool EnableTagOverride { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ContentHash { get; init; }
    public string Datacenter { get; init; } = "";

    public static AgentServiceJson From(NodeService s, string datacenter, string? contentHash = null) => new()
    {
        Kind = s.Kind,
        ID = s.ID,
        Service = s.Service,
        Tags = s.Tags,
        Meta = s.Meta,
        Port = s.Port,
        Address = s.Address,
        TaggedAddresses = s.TaggedAddresses.Count == 0 ? null : s.TaggedAddresses,
        Weights = s.Weights,
        EnableTagOverride = s.EnableTagOverride,
        ContentHash = contentHash,
        Datacenter = datacenter,
    };
}

/// <summary>Consul's structs.ServiceNode (catalog/service/:name).</summary>
public sealed record CatalogServiceJson
{
    public string ID { get; init; } = "";
    public string Node { get; init; } = "";
    public string Address { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public Dictionary<string, string> TaggedAddresses { get; init; } = new();
    public Dictionary<string, string> NodeMeta { get; init; } = new();
    public string ServiceKind { get; init; } = "";
    public string ServiceID { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public List<string> ServiceTags { get; init; } = new();
    public string ServiceAddress { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, ServiceAddress>? ServiceTaggedAddresses { get; init; }
    public Weights ServiceWeights { get; init; } = new();
    public Dictionary<string, string> ServiceMeta { get; init; } = new();
    public int ServicePort { get; init; }
    public string ServiceSocketPath { get; init; } = "";
    public bool ServiceEnableTagOverride { get; init; }
    public ServiceProxyJson ServiceProxy { get; init; } = new();
    public EmptyJson ServiceConnect { get; init; } = new();
    public object? ServiceLocality { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static CatalogServiceJson From(Node n, NodeService s) => new()
    {
        ID = n.ID, Node = n.Name, Address = n.Address, Datacenter = n.Datacenter,
        TaggedAddresses = n.TaggedAddresses, NodeMeta = n.Meta,
        ServiceKind = s.Kind ?? "", ServiceID = s.ID, ServiceName = s.Service, ServiceTags = s.Tags,
        ServiceAddress = s.Address, ServiceTaggedAddresses = s.TaggedAddresses.Count == 0 ? null : s.TaggedAddresses, ServiceWeights = s.Weights,
        ServiceMeta = s.Meta, ServicePort = s.Port, ServiceEnableTagOverride = s.EnableTagOverride,
        CreateIndex = s.CreateIndex, ModifyIndex = s.ModifyIndex,
    };
}

/// <summary>Consul's (empty) ConnectProxyConfig as a plain service shows it.</summary>
public sealed record ServiceProxyJson
{
    public string Mode { get; init; } = "";
    public EmptyJson MeshGateway { get; init; } = new();
    public EmptyJson Expose { get; init; } = new();
}

/// <summary>A struct whose fields are all omitted: serializes as {}.</summary>
public sealed record EmptyJson;

/// <summary>Consul's structs.NodeService as the catalog and health endpoints render it.</summary>
public sealed record NodeServiceJson
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Kind { get; init; }
    public string ID { get; init; } = "";
    public string Service { get; init; } = "";
    public List<string> Tags { get; init; } = new();
    public string Address { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, ServiceAddress>? TaggedAddresses { get; init; }
    public Dictionary<string, string> Meta { get; init; } = new();
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Port { get; init; }
    public Weights Weights { get; init; } = new();
    public bool EnableTagOverride { get; init; }
    public ServiceProxyJson Proxy { get; init; } = new();
    public EmptyJson Connect { get; init; } = new();
    public string PeerName { get; init; } = "";
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static NodeServiceJson From(NodeService s) => new()
    {
        Kind = string.IsNullOrEmpty(s.Kind) ? null : s.Kind,
        ID = s.ID, Service = s.Service, Tags = s.Tags, Address = s.Address,
        TaggedAddresses = s.TaggedAddresses.Count == 0 ? null : s.TaggedAddresses,
        Meta = s.Meta, Port = s.Port, Weights = s.Weights, EnableTagOverride = s.EnableTagOverride,
        CreateIndex = s.CreateIndex, ModifyIndex = s.ModifyIndex,
    };
}

/// <summary>Consul's structs.HealthCheck as the API renders it (ExposedPort and Definition included).</summary>
public sealed record HealthCheckJson
{
    public string Node { get; init; } = "";
    public string CheckID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public string Notes { get; init; } = "";
    public string Output { get; init; } = "";
    public string ServiceID { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public List<string> ServiceTags { get; init; } = new();
    public string Type { get; init; } = "";
    public string Interval { get; init; } = "";
    public string Timeout { get; init; } = "";
    public int ExposedPort { get; init; }
    public EmptyJson Definition { get; init; } = new();
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static HealthCheckJson From(HealthCheck c) => new()
    {
        Node = c.Node, CheckID = c.CheckID, Name = c.Name, Status = c.Status, Notes = c.Notes, Output = c.Output,
        ServiceID = c.ServiceID, ServiceName = c.ServiceName, ServiceTags = c.ServiceTags, Type = c.Type,
        Interval = c.Interval, Timeout = c.Timeout, CreateIndex = c.CreateIndex, ModifyIndex = c.ModifyIndex,
    };

    public static List<HealthCheckJson> List(IEnumerable<HealthCheck> checks) => checks.Select(From).ToList();
}

/// <summary>Consul's structs.CheckServiceNode (health/service/:name).</summary>
public sealed record ServiceEntryJson(Node Node, NodeServiceJson Service, IReadOnlyList<HealthCheckJson> Checks);

/// <summary>Consul's api.AgentServiceChecksInfo (agent/health/service/...).</summary>
public sealed record AgentServiceChecksInfoJson(string AggregatedStatus, AgentServiceJson Service, IReadOnlyList<ApiHealthCheckJson> Checks);

/// <summary>
/// Consul's api.HealthCheck as agent/health/service builds it: only identity, status and service
/// fields are copied, so Type, indexes and the definition stay at their zero values.
/// </summary>
public sealed record ApiHealthCheckJson
{
    public string Node { get; init; } = "";
    public string CheckID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Status { get; init; } = "";
    public string Notes { get; init; } = "";
    public string Output { get; init; } = "";
    public string ServiceID { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public List<string> ServiceTags { get; init; } = new();
    public string Type { get; init; } = "";
    public int ExposedPort { get; init; }
    public ApiCheckDefinitionJson Definition { get; init; } = new();
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    public static ApiHealthCheckJson From(HealthCheck c) => new()
    {
        Node = c.Node, CheckID = c.CheckID, Name = c.Name, Status = c.Status, Notes = c.Notes, Output = c.Output,
        ServiceID = c.ServiceID, ServiceName = c.ServiceName, ServiceTags = c.ServiceTags,
    };
}

/// <summary>A zero api.HealthCheckDefinition as its MarshalJSON writes it (durations as strings first).</summary>
public sealed record ApiCheckDefinitionJson
{
    public string Interval { get; init; } = "0s";
    public string Timeout { get; init; } = "0s";
    public string DeregisterCriticalServiceAfter { get; init; } = "0s";
    public string HTTP { get; init; } = "";
    public Dictionary<string, List<string>>? Header { get; init; }
    public string Method { get; init; } = "";
    public string Body { get; init; } = "";
    public string TLSServerName { get; init; } = "";
    public bool TLSSkipVerify { get; init; }
    public string TCP { get; init; } = "";
    public bool TCPUseTLS { get; init; }
    public string UDP { get; init; } = "";
    public string GRPC { get; init; } = "";
    public string OSService { get; init; } = "";
    public bool GRPCUseTLS { get; init; }
}

/// <summary>catalog/node/:node.</summary>
public sealed record CatalogNodeJson(Node Node, Dictionary<string, NodeServiceJson> Services);

/// <summary>catalog/node-services/:node.</summary>
public sealed record CatalogNodeServiceListJson(Node Node, List<NodeServiceJson> Services);

/// <summary>Body of PUT /v1/catalog/register (Consul's structs.RegisterRequest).</summary>
public sealed class CatalogRegisterRequest
{
    public string? Datacenter { get; set; }
    public string? ID { get; set; }
    public string? Node { get; set; }
    public string? Address { get; set; }
    public Dictionary<string, string>? TaggedAddresses { get; set; }
    public Dictionary<string, string>? NodeMeta { get; set; }
    public CatalogServiceBody? Service { get; set; }
    public CatalogCheckBody? Check { get; set; }
    public List<CatalogCheckBody>? Checks { get; set; }
    public bool SkipNodeUpdate { get; set; }
}

public sealed class CatalogServiceBody
{
    public string? Kind { get; set; }
    public string? ID { get; set; }
    public string? Service { get; set; }
    public List<string>? Tags { get; set; }
    public string? Address { get; set; }
    public Dictionary<string, ServiceAddress>? TaggedAddresses { get; set; }
    public Dictionary<string, string>? Meta { get; set; }
    public int Port { get; set; }
    public Weights? Weights { get; set; }
    public bool EnableTagOverride { get; set; }
}

public sealed class CatalogCheckBody
{
    public string? Node { get; set; }
    public string? CheckID { get; set; }
    public string? Name { get; set; }
    public string? Notes { get; set; }
    public string? Status { get; set; }
    public string? Output { get; set; }
    public string? ServiceID { get; set; }
    public string? Type { get; set; }
    public CheckDefinition? Definition { get; set; }
}

/// <summary>Body of PUT /v1/catalog/deregister.</summary>
public sealed class CatalogDeregisterRequest
{
    public string? Datacenter { get; set; }
    public string? Node { get; set; }
    public string? ServiceID { get; set; }
    public string? CheckID { get; set; }
}

/// <summary>Body of PUT /v1/agent/check/update/:id.</summary>
public sealed class CheckUpdateRequest
{
    public string? Status { get; set; }
    public string? Output { get; set; }
}

[JsonSerializable(typeof(List<KVEntry>))]
[JsonSerializable(typeof(KVEntry))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<Node>))]
[JsonSerializable(typeof(List<HealthCheck>))]
[JsonSerializable(typeof(List<HealthCheckJson>))]
[JsonSerializable(typeof(Dictionary<string, HealthCheckJson>))]
[JsonSerializable(typeof(List<CatalogServiceJson>))]
[JsonSerializable(typeof(List<ServiceEntryJson>))]
[JsonSerializable(typeof(Dictionary<string, AgentServiceJson>))]
[JsonSerializable(typeof(Dictionary<string, HealthCheck>))]
[JsonSerializable(typeof(SortedDictionary<string, SortedSet<string>>))]
[JsonSerializable(typeof(CatalogNodeJson))]
[JsonSerializable(typeof(CatalogNodeServiceListJson))]
[JsonSerializable(typeof(AgentServiceChecksInfoJson))]
[JsonSerializable(typeof(List<AgentServiceChecksInfoJson>))]
[JsonSerializable(typeof(ServiceDefinition))]
[JsonSerializable(typeof(CheckDefinition))]
[JsonSerializable(typeof(CatalogRegisterRequest))]
[JsonSerializable(typeof(CatalogDeregisterRequest))]
[JsonSerializable(typeof(CheckUpdateRequest))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
