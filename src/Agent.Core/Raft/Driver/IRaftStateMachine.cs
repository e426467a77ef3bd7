namespace Consul.Core.Raft;

/// <summary>The replicated state machine Raft feeds (Consul's FSM). Called on the driver's thread only.</summary>
public interface IRaftStateMachine
{
    /// <summary>Applies a committed command; the result is handed back to the proposer on this server.</summary>
    object? Apply(ulong index, ReadOnlyMemory<byte> command);
    void WriteSnapshot(Stream destination);
    void Restore(Stream source);
}

/// <summary>Outcome of a committed and locally applied proposal.</summary>
public sealed record RaftApplyResult(ulong Index, object? Result);

/// <summary>Thrown when a request needs the leader and this server is not it.</summary>
public sealed class NotLeaderException(string? leaderId, string? leaderAddress, string? detail = null)
    : InvalidOperationException(detail ?? (leaderId is null ? "No cluster leader" : $"not the leader; leader is {leaderId} ({leaderAddress})"))
{
    public string? LeaderId { get; } = leaderId;
    public string? LeaderAddress { get; } = leaderAddress;
}

/// <summary>Point-in-time view of a server for /v1/status, /v1/operator/raft and the UI.</summary>
public sealed record RaftStatus(
    string Id, string Address, RaftRole State, ulong Term, string? LeaderId, string? LeaderAddress,
    ulong CommitIndex, ulong AppliedIndex, ulong LastLogIndex, ulong LastSnapshotIndex,
    TimeSpan? LastContact, long ElectionsStarted, long SnapshotsTaken,
    IReadOnlyList<RaftPeerLag> Peers, string? Error);

/// <summary>A peer as the leader sees it; Lag is how many entries it is behind the leader's log.</summary>
public sealed record RaftPeerLag(string Id, string Address, bool Voter, ulong MatchIndex, ulong Lag, TimeSpan? LastContact, string State);
