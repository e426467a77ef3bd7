using Consul.Core.Model;

namespace Consul.Core.Local;

/// <summary>Runs the monitors behind an agent's checks (HTTP, TCP, TTL, script, ...).</summary>
public interface ICheckRunner
{
    /// <summary>Consul's validation message for a bad definition, or null when it can run.</summary>
    string? Validate(CheckDefinition definition);
    void Start(string checkId, CheckDefinition definition, string? serviceId);
    void Stop(string checkId);
    /// <summary>Records a TTL check result; false when no TTL check has that ID.</summary>
    bool UpdateTtl(string checkId, string status, string output);
}
