using Consul.Core.Raft;
using Consul.Core.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Cluster;

/// <summary>
/// The server's Raft state machine (Consul's FSM): committed entries go to the
/// <see cref="StateMachine"/>, snapshots are the <see cref="StateSnapshotCodec"/> form of
/// the current state. <see cref="Applied"/> and <see cref="Restored"/> let the replication
/// feed to client agents forward exactly what this server applied.
/// Raft calls it from its loop thread only.
/// </summary>
public sealed class RaftFsm(StateMachine stateMachine, ILogger? logger = null) : IRaftStateMachine
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;

    public StateMachine StateMachine { get; } = stateMachine;

    /// <summary>Raised after each applied command (also rejected ones: a replica applying the same
    /// bytes rejects them too) with its index and the exact bytes from the log.</summary>
    public event Action<ulong, ReadOnlyMemory<byte>>? Applied;

    /// <summary>Raised after the state was replaced from a snapshot, with the new state.</summary>
    public event Action<StateSnapshot>? Restored;

    /// <summary>Returns the <see cref="ApplyResult"/>, handed back to the proposer as the Raft result.</summary>
    public object? Apply(ulong index, ReadOnlyMemory<byte> command)
    {
        var result = StateMachine.Apply(index, command.Span);
        Notify(Applied, h => h(index, command), "applied");
        return result;
    }

    public void WriteSnapshot(Stream destination) => StateSnapshotCodec.Write(StateMachine.Store.Current, destination);

    public void Restore(Stream source)
    {
        var snapshot = StateSnapshotCodec.Read(source);
        StateMachine.Restore(snapshot);
        Notify(Restored, h => h(snapshot), "restored");
    }

    // An observer's failure must not stop consensus; each handler runs on its own so one
    // failing subscriber does not starve the others.
    private void Notify<T>(T? handlers, Action<T> invoke, string what) where T : Delegate
    {
        if (handlers is null) return;
        foreach (var h in handlers.GetInvocationList())
        {
            try { invoke((T)h); }
            catch (Exception e) { _log.LogError(e, "raft fsm: {What} observer failed", what); }
        }
    }
}
