using System.Text.Json.Serialization;

namespace Consul.Core.Model;

// Request shapes for registering services and checks (agent API, config files).
// Durations are Go duration strings, as Consul accepts them.

public sealed class CheckDefinition
{
    public string? ID { get; set; }
    /// <summary>Alias of ID used by /v1/agent/check/register and config files.</summary>
    public string? CheckID { get; set; }
    public string? Name { get; set; }
    public string? Notes { get; set; }
    public string? ServiceID { get; set; }
    public string? Status { get; set; }
    public List<string>? Args { get; set; }
    public List<string>? ScriptArgs { get; set; }
    public string? HTTP { get; set; }
    public Dictionary<string, List<string>>? Header { get; set; }
    public string? Method { get; set; }
    public string? Body { get; set; }
    public bool DisableRedirects { get; set; }
    public string? TLSServerName { get; set; }
    public bool TLSSkipVerify { get; set; }
    public string? TCP { get; set; }
    public string? UDP { get; set; }
    public string? GRPC { get; set; }
    public bool GRPCUseTLS { get; set; }
    public string? DockerContainerID { get; set; }
    public string? Shell { get; set; }
    public string? AliasNode { get; set; }
    public string? AliasService { get; set; }
    public string? TTL { get; set; }
    public string? Interval { get; set; }
    public string? Timeout { get; set; }
    public string? DeregisterCriticalServiceAfter { get; set; }
    public int SuccessBeforePassing { get; set; }
    public int FailuresBeforeWarning { get; set; }
    public int FailuresBeforeCritical { get; set; }
    public int OutputMaxSize { get; set; }

    [JsonIgnore] public string EffectiveID => !string.IsNullOrEmpty(ID) ? ID : CheckID ?? "";
    [JsonIgnore] public List<string>? EffectiveArgs => Args is { Count: > 0 } ? Args : ScriptArgs;

    /// <summary>Consul's check type name: http, tcp, ttl, script, grpc, docker, alias, udp.</summary>
    [JsonIgnore]
    public string CheckType =>
        !string.IsNullOrEmpty(TTL) ? "ttl" :
        !string.IsNullOrEmpty(HTTP) ? "http" :
        !string.IsNullOrEmpty(TCP) ? "tcp" :
        !string.IsNullOrEmpty(UDP) ? "udp" :
        !string.IsNullOrEmpty(GRPC) ? "grpc" :
        !string.IsNullOrEmpty(DockerContainerID) ? "docker" :
        !string.IsNullOrEmpty(AliasService) || !string.IsNullOrEmpty(AliasNode) ? "alias" :
        EffectiveArgs is { Count: > 0 } ? "script" : "";
}

public sealed class ServiceDefinition
{
    public string? Kind { get; set; }
    public string? ID { get; set; }
    public string? Name { get; set; }
    public List<string>? Tags { get; set; }
    public string? Address { get; set; }
    public Dictionary<string, ServiceAddress>? TaggedAddresses { get; set; }
    public Dictionary<string, string>? Meta { get; set; }
    public int Port { get; set; }
    public Weights? Weights { get; set; }
    public bool EnableTagOverride { get; set; }
    public CheckDefinition? Check { get; set; }
    public List<CheckDefinition>? Checks { get; set; }

    [JsonIgnore] public string EffectiveID => string.IsNullOrEmpty(ID) ? Name ?? "" : ID;
}
