using Consul.Core.Model;

namespace Consul.Core.Checks;

/// <summary>
/// The checks an alias check looks at, and a change index to block on. Index is whatever the
/// source uses to tell changes apart (catalog Raft index, or a local-state counter).
/// </summary>
public sealed record AliasChecks(ulong Index, IReadOnlyList<HealthCheck> Checks);

/// <summary>
/// What the agent gives alias checks. As in Consul: an alias without AliasNode reads the agent's
/// local state (node == null); with AliasNode it reads that node's checks from the catalog
/// (Health.NodeChecks), even if the node is the local one.
/// </summary>
public interface IAliasSource
{
    /// <summary>
    /// node == null: every check in the agent's local state (node-level and service-level).
    /// Otherwise: every check registered on that node in the catalog.
    /// </summary>
    ValueTask<AliasChecks> GetChecksAsync(string? node, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the service instance exists (node == null: in local state; otherwise in the
    /// catalog on that node). Used when the aliased service has no checks.
    /// </summary>
    ValueTask<bool> ServiceExistsAsync(string? node, string serviceId, CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the data behind GetChecksAsync(node) has an index greater than afterIndex
    /// (or immediately if it already has). Cancellation ends the wait; the alias check also
    /// re-reads every minute without a change, as Consul does.
    /// </summary>
    Task WaitForChangeAsync(string? node, ulong afterIndex, CancellationToken cancellationToken);
}
