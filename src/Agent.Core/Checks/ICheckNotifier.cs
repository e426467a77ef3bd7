namespace Consul.Core.Checks;

/// <summary>
/// Receives check results (Consul's checks.CheckNotifier). The agent's local state implements
/// it. Calls may repeat the same status; the receiver must be idempotent.
/// </summary>
public interface ICheckNotifier
{
    /// <param name="status">One of HealthStatus.Passing / Warning / Critical.</param>
    void UpdateCheck(string checkId, string status, string output);
}
