using Consul.Core.Model;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckAlias.processChecks as a pure function: the health of the aliased service
/// (and the node's own checks) from a list of checks.
/// </summary>
internal static class AliasHealth
{
    /// <param name="node">AliasNode, or "" for the local agent (then checks are not filtered by node).</param>
    /// <param name="serviceId">AliasService, or "" to mirror only node-level checks.</param>
    /// <param name="serviceExists">Asked only when no check of the service was seen.</param>
    public static async ValueTask<(string Status, string Output)> EvaluateAsync(
        string node, string serviceId, IReadOnlyList<HealthCheck> checks, Func<ValueTask<bool>> serviceExists)
    {
        var health = HealthStatus.Passing;
        var msg = "No checks found.";
        var serviceFound = false;
        foreach (var chk in checks)
        {
            if (node.Length > 0 && !string.Equals(node, chk.Node, StringComparison.OrdinalIgnoreCase)) continue;
            var serviceMatch = chk.ServiceID == serviceId;
            if (chk.ServiceID.Length > 0 && !serviceMatch) continue;
            if (serviceMatch) serviceFound = true;
            if (chk.Status is HealthStatus.Critical or HealthStatus.Warning)
            {
                health = chk.Status;
                msg = $"Aliased check \"{chk.Name}\" failing: {chk.Output}";
                // Critical settles it; a warning may still be outdone by a critical.
                if (chk.Status == HealthStatus.Critical) break;
            }
            else if (health == HealthStatus.Passing)
            {
                msg = "All checks passing.";
            }
        }
        if (!serviceFound && !await serviceExists().ConfigureAwait(false))
        {
            msg = $"Service {serviceId} could not be found on node {node}";
            health = HealthStatus.Critical;
        }
        return (health, msg);
    }
}
