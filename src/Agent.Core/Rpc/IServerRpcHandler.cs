using Consul.Core.State;

namespace Consul.Core.Rpc;

/// <summary>What a server does for the RPCs of <see cref="ServerRpcMethods"/>.</summary>
public interface IServerRpcHandler
{
    /// <summary>Applies a command through Raft; a follower forwards it to the leader unless it was forwarded already.</summary>
    Task<ApplyResult> ApplyEncodedAsync(ReadOnlyMemory<byte> command, bool forwarded, CancellationToken ct);

    /// <summary>A confirmed read point: once a replica applied this index it reflects every write acknowledged before the call.</summary>
    /// <param name="lease">Default consistency: the leader may answer under its lease without a quorum round.</param>
    Task<ulong> ReadIndexAsync(bool forwarded, bool lease, CancellationToken ct);

    /// <summary>Renews a session's TTL timer on the leader; false when the session does not exist.</summary>
    Task<bool> RenewSessionAsync(string sessionId, bool forwarded, CancellationToken ct);

    /// <summary>Last index in this server's Raft log (0: no state yet).</summary>
    ulong RaftLastIndex { get; }

    /// <summary>Leader known to this server and its RPC address.</summary>
    (bool KnownLeader, string LeaderAddress) Leader { get; }

    StateFeed Feed { get; }
}

/// <summary>A request that needs the leader found none (Consul: "No cluster leader").</summary>
public sealed class NoLeaderException(string message = "No cluster leader") : Exception(message);
