namespace Consul.Core.Raft;

public enum MessageType : byte
{
    Append, AppendResp, Heartbeat, HeartbeatResp,
    Vote, VoteResp, PreVote, PreVoteResp,
    InstallSnapshot, TimeoutNow,
}

/// <summary>
/// One Raft RPC (request or response). A single shape for all kinds keeps the core,
/// the simulated network and the wire codec simple; unused fields stay zero.
/// </summary>
public sealed class RaftMessage
{
    public MessageType Type { get; init; }
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    public ulong Term { get; init; }
    /// <summary>Append: term of the entry before <see cref="Entries"/>. Vote: candidate's last log term. Reject: term at the hint.</summary>
    public ulong LogTerm { get; init; }
    /// <summary>Append: index before <see cref="Entries"/>. AppendResp: last matching index (or rejected index). Vote: candidate's last index.</summary>
    public ulong Index { get; init; }
    public LogEntry[] Entries { get; init; } = [];
    public ulong Commit { get; init; }
    public bool Reject { get; init; }
    /// <summary>On a rejected append: the follower's guess of the last index that may match.</summary>
    public ulong RejectHint { get; init; }
    /// <summary>Read-index request id carried by heartbeats and echoed in their responses.</summary>
    public ulong Context { get; init; }
    /// <summary>Leader's tick count when it sent the request; echoed so the leader can date its lease.</summary>
    public ulong LeaseStamp { get; init; }
    /// <summary>Vote forced by leadership transfer: bypasses followers' leader stickiness.</summary>
    public bool Transfer { get; init; }
    public SnapshotMeta? Snapshot { get; init; }
    /// <summary>Snapshot bytes; filled in by the driver from its snapshot store just before sending.</summary>
    public byte[]? SnapshotData { get; set; }

    public bool IsResponse => Type is MessageType.AppendResp or MessageType.HeartbeatResp
        or MessageType.VoteResp or MessageType.PreVoteResp;

    public override string ToString() =>
        $"{Type} {From}->{To} t{Term} i{Index} lt{LogTerm} c{Commit} n{Entries.Length}{(Reject ? " reject h" + RejectHint : "")}";
}
