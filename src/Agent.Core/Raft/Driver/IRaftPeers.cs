namespace Consul.Core.Raft;

/// <summary>The membership side of a Raft server, as the leader's reconcile loop uses it.</summary>
public interface IRaftPeers
{
    /// <summary>True while this server is the leader.</summary>
    bool IsLeader { get; }
    Task<RaftConfiguration> GetConfigurationAsync();
    Task AddVoterAsync(string id, string address, CancellationToken cancellationToken = default);
    Task RemoveServerAsync(string id, CancellationToken cancellationToken = default);
}
