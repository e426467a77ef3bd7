namespace Consul.Core.Raft;

/// <summary>What a log entry carries: a state-machine command, a membership change or a leader's no-op.</summary>
public enum EntryType : byte { Command = 0, Configuration = 1, Noop = 2 }

/// <summary>One entry of the replicated log.</summary>
public sealed record LogEntry(ulong Index, ulong Term, EntryType Type, byte[] Data)
{
    public int Size => Data.Length + 24;
}

/// <summary>Role of a server in the Raft protocol.</summary>
public enum RaftRole { Follower, PreCandidate, Candidate, Leader }

/// <summary>A member of the Raft configuration. Non-voters receive the log but do not vote or count for quorum.</summary>
public sealed record ServerInfo(string Id, string Address, bool Voter);

/// <summary>Durable election state: the current term and who this server voted for in it.</summary>
public readonly record struct HardState(ulong Term, string? Vote, ulong Commit);

/// <summary>Describes a snapshot: the last log entry it covers and the configuration at that point.</summary>
public sealed record SnapshotMeta(ulong Index, ulong Term, RaftConfiguration Configuration, ulong ConfigurationIndex);

/// <summary>A linearizable read that is ready: once the state machine has applied <see cref="Index"/>, the read may run.</summary>
public readonly record struct ReadState(ulong Context, ulong Index);

/// <summary>Volatile view of who leads; reported in <see cref="Ready"/> when it changes.</summary>
public readonly record struct SoftState(RaftRole Role, string? Leader, ulong Term);
