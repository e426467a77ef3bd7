using System.Text.Json.Serialization;
using Consul.Core.Model;

namespace Consul.Core.Local;

// The shapes Consul writes under <data-dir>/services, checks and checks/state
// (agent.persistedService, persistedCheck, persistedCheckState). The check type is stored
// as this agent's CheckDefinition (Go duration strings), not Consul's nanosecond CheckType.

/// <summary>A service registered through the API, with the token it was registered with.</summary>
public sealed class PersistedService
{
    public string Token { get; set; } = "";
    public NodeService? Service { get; set; }
    /// <summary>"remote" (HTTP API) or "local" (config); Consul's configSource name.</summary>
    public string Source { get; set; } = PersistedSource.Remote;
}

/// <summary>A check registered through the API: its state at registration and how it is run (null for maintenance checks).</summary>
public sealed class PersistedCheck
{
    public HealthCheck? Check { get; set; }
    public CheckDefinition? ChkType { get; set; }
    public string Token { get; set; } = "";
    public string Source { get; set; } = PersistedSource.Remote;
}

/// <summary>The last status a TTL check was given, kept until its TTL would have run out.</summary>
public sealed class PersistedCheckState
{
    public string CheckID { get; set; } = "";
    public string Output { get; set; } = "";
    public string Status { get; set; } = "";
    /// <summary>Unix seconds after which the state is stale and not restored.</summary>
    public long Expires { get; set; }
}

/// <summary>Consul's configSource names.</summary>
public static class PersistedSource
{
    public const string Local = "local";
    public const string Remote = "remote";
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PersistedService))]
[JsonSerializable(typeof(PersistedCheck))]
[JsonSerializable(typeof(PersistedCheckState))]
internal sealed partial class PersistenceJsonContext : JsonSerializerContext;
