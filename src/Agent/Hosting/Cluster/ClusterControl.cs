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
        var pool = wan ? pools.Wan ?? throw new ClusterOperationException(ClusterErrors.WanJoinNeedsServer) : pools.Lan;
        try { return await pool.JoinAsync(addresses, ct: ct); }
        catch (GossipJoinException e) { throw new ClusterOperationException(e.Message); }
    }

    public Task ForceLeaveAsync(string node, bool prune, bool wan, CancellationToken ct)
    {
        var pool = wan ? pools.Wan ?? throw new ClusterOperationException(ClusterErrors.WanForceLeaveNeedsServer) : pools.Lan;
        if (!pool.ForceLeave(node, prune)) throw new ClusterOperationException(ClusterErrors.NoNodeNamed(node));
        return Task.CompletedTask;
    }

    public async Task RemoveRaftPeerAsync(string? id, string? address, CancellationToken ct)
    {
        var raft = Raft ?? throw new ClusterOperationException("Raft peer removal is only available on servers");
        var config = await raft.GetConfigurationAsync();
        var server = (id is not null ? config.Find(id) : config.Servers.FirstOrDefault(s => s.Address == address))
                     ?? throw new ClusterOperationException(ClusterErrors.PeerNotFound(id, address));
        try { await raft.RemoveServerAsync(server.Id, ct); }
        catch (NotLeaderException e) { throw new ClusterOperationException(e.LeaderId is null ? "No cluster leader" : ClusterErrors.NotLeader); }
    }

    public async Task TransferLeadershipAsync(string? targetId, CancellationToken ct)
    {
        var raft = Raft ?? throw new ClusterOperationException("Leadership transfer is only available on servers");
        if (!raft.IsLeader) throw new ClusterOperationException(ClusterErrors.NotLeader);
        if (targetId == raft.Id) throw new ClusterOperationException(ClusterErrors.TransferToSelf);
        if (targetId is { Length: > 0 } && !raft.Configuration.IsVoter(targetId))
            throw new ClusterOperationException(ClusterErrors.NoServerAddress(targetId));
        if (targetId is not { Length: > 0 } && raft.Configuration.VoterCount < 2)
            throw new ClusterOperationException(ClusterErrors.NoPeerToTransferTo);
        try { await raft.TransferLeadershipAsync(string.IsNullOrEmpty(targetId) ? null : targetId, ct).WaitAsync(TimeSpan.FromSeconds(10), ct); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            throw new ClusterOperationException($"cannot transfer leadership: {e.Message}");
        }
    }
}
