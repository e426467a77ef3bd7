using Consul.Core.Cluster;
using Consul.Core.Gossip;
using Consul.Core.Raft;

namespace Consul.Agent.Hosting.Cluster;

/// <summary><see cref="IClusterControl"/> over this agent's gossip pools and, on servers, its Raft node.</summary>
public sealed class ClusterControl(GossipPools pools, IServiceProvider services) : IClusterControl
{
    private RaftNode? Raft => services.GetService<RaftNode>();

    public async Task<int> JoinAsync(IReadOnlyList<string> addresses, bool wan, CancellationToken ct)
    {
        var pool = wan ? pools.Wan ?? throw new ClusterOperationException("WAN join is only available on servers") : pools.Lan;
        try { return await pool.JoinAsync(addresses, ct: ct); }
        catch (GossipJoinException e) { throw new ClusterOperationException(e.Message); }
    }

    public Task ForceLeaveAsync(string node, bool prune, bool wan, CancellationToken ct)
    {
        var pool = wan ? pools.Wan ?? throw new ClusterOperationException("WAN force-leave is only available on servers") : pools.Lan;
        if (!pool.ForceLeave(node, prune)) throw new ClusterOperationException($"agent: No node found with name '{node}'");
        return Task.CompletedTask;
    }

    public async Task RemoveRaftPeerAsync(string? id, string? address, CancellationToken ct)
    {
        var raft = Raft ?? throw new ClusterOperationException("Raft peer removal is only available on servers");
        var config = await raft.GetConfigurationAsync();
        var server = id is { Length: > 0 }
            ? config.Find(id) ?? throw new ClusterOperationException($"id \"{id}\" was not found in the Raft configuration")
            : config.Servers.FirstOrDefault(s => s.Address == address)
              ?? throw new ClusterOperationException($"address \"{address}\" was not found in the Raft configuration");
        try { await raft.RemoveServerAsync(server.Id, ct); }
        catch (NotLeaderException e) { throw new ClusterOperationException(e.LeaderId is null ? "No cluster leader" : "node is not the leader"); }
    }

    public async Task TransferLeadershipAsync(string? targetId, CancellationToken ct)
    {
        var raft = Raft ?? throw new ClusterOperationException("Leadership transfer is only available on servers");
        if (!raft.IsLeader) throw new ClusterOperationException("cannot transfer leadership: node is not the leader");
        if (targetId is { Length: > 0 } && !raft.Configuration.IsVoter(targetId))
            throw new ClusterOperationException($"cannot find peer {targetId}");
        try { await raft.TransferLeadershipAsync(string.IsNullOrEmpty(targetId) ? null : targetId, ct).WaitAsync(TimeSpan.FromSeconds(10), ct); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new ClusterOperationException($"cannot transfer leadership: {e.Message}");
        }
    }
}
