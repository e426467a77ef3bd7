using Consul.Core.Model;

namespace Consul.Core.Local;

/// <summary>Runs the monitors behind an agent's checks (HTTP, TCP, TTL, script, ...).</summary>
public interface ICheckRunner
{
    void Start(string checkId, CheckDefinition definition, string? serviceId);
    void Stop(string checkId);
    /// <summary>Records a TTL check result; false when no TTL check has that ID.</summary>
    bool UpdateTtl(string checkId, string status, string output);
}
