namespace Consul.Core.State;

/// <summary>
/// The one write path: a command is serialized, appended to the log and applied by
/// the state machine once committed. A dev agent uses <see cref="InMemoryCommandLog"/>;
/// servers plug Raft in behind this interface, clients forward to a server.
/// </summary>
public interface ICommandLog
{
    Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default);

    /// <summary>Completes once local state reflects every write committed before the call
    /// (Raft read-index); backs <c>?consistent</c> reads.</summary>
    Task ConsistentReadBarrierAsync(CancellationToken ct = default);

    /// <summary>Consul's default consistency: the leader vouches (under its lease, without a
    /// quorum round) for an index; local state then reflects it. A lone server is always current.</summary>
    Task DefaultReadBarrierAsync(CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>Leader known, last contact, and whether this node is the leader.</summary>
    ConsistencyInfo Consistency { get; }
}

public sealed record ConsistencyInfo(bool KnownLeader, TimeSpan LastContact, string LeaderAddress);
