namespace Consul.Core.Cluster;

/// <summary>
/// Cluster operations the HTTP API and CLI trigger: gossip join and force-leave, Raft peer
/// removal and leadership transfer. A dev agent implements them over its lone server; the
/// cluster wiring over its gossip pools and Raft node.
/// </summary>
public interface IClusterControl
{
    /// <summary>Joins the LAN (or WAN) pool through any of the addresses; returns how many answered.</summary>
    /// <exception cref="ClusterOperationException">none could be reached, or the pool does not exist here</exception>
    Task<int> JoinAsync(IReadOnlyList<string> addresses, bool wan, CancellationToken ct);

    /// <summary>Marks a failed member left (prune: forgets it at once).</summary>
    /// <exception cref="ClusterOperationException">unknown node ("No node found with name ...")</exception>
    Task ForceLeaveAsync(string node, bool prune, bool wan, CancellationToken ct);

    /// <summary>Removes a server from the Raft configuration by ID or address (exactly one given).</summary>
    /// <exception cref="ClusterOperationException">no such peer, or not a server</exception>
    Task RemoveRaftPeerAsync(string? id, string? address, CancellationToken ct);

    /// <summary>Hands Raft leadership to <paramref name="targetId"/> or the most up-to-date voter.</summary>
    /// <exception cref="ClusterOperationException">not the leader, unknown target, or no other voter</exception>
    Task TransferLeadershipAsync(string? targetId, CancellationToken ct);
}

/// <summary>A cluster operation that could not be done; the message is shown to the user as is.</summary>
public sealed class ClusterOperationException(string message) : Exception(message);
