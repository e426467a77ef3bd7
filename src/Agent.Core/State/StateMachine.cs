using Consul.Core.Events;

namespace Consul.Core.State;

/// <summary>
/// The finite state machine the log feeds. Applies one command at a time (the caller
/// serializes), stamps what changed with the command's index, swaps in the new
/// snapshot and then publishes the resulting cluster events.
/// </summary>
public sealed class StateMachine
{
    private readonly object _applyGate = new();

    public StateMachine(StateStore store, EventStream events, TimeProvider? time = null)
    {
        Store = store;
        Events = events;
        LockDelays = new LockDelays(time ?? TimeProvider.System);
    }

    public LockDelays LockDelays { get; }

    public StateStore Store { get; }
    public EventStream Events { get; }

    /// <summary>Runs a read-only transaction against a snapshot without changing anything.</summary>
    public static TxnOutcome Evaluate(StateSnapshot snapshot, TxnCommand command)
    {
        try
        {
            return TxnWrites.Apply(new StateTxn(snapshot, snapshot.LastIndex), command);
        }
        catch (StateRollback r)
        {
            return (TxnOutcome)r.Value;
        }
    }

    public ApplyResult Apply(ulong index, ReadOnlySpan<byte> bytes) => Apply(index, CommandCodec.Decode(bytes));

    public ApplyResult Apply(ulong index, StateCommand command)
    {
        List<ClusterEvent> events;
        ApplyResult result;
        lock (_applyGate)
        {
            var txn = new StateTxn(Store.Current, index);
            try
            {
                var value = command switch
                {
                    RegisterCommand r => CatalogWrites.Register(txn, r),
                    DeregisterCommand d => CatalogWrites.Deregister(txn, d),
                    KVCommand k => KVWrites.Apply(txn, k),
                    SessionCommand c => SessionWrites.Apply(txn, c),
                    TxnCommand t => TxnWrites.Apply(txn, t),
                    _ => throw new StateException($"unknown command {command.GetType().Name}"),
                };
                result = new ApplyResult(index, value, null);
            }
            catch (StateRollback r)
            {
                // A failed transaction reports its errors as a value; nothing is applied.
                return new ApplyResult(index, r.Value, null);
            }
            catch (StateException e)
            {
                // A rejected command changes nothing; the index is still consumed, as in Raft.
                return new ApplyResult(index, null, e.Message);
            }
            var next = txn.Commit(out var changed);
            Store.Publish(next, changed);
            foreach (var (key, delay) in txn.LockDelays) LockDelays.Start(key, delay);
            events = txn.Events;
        }
        foreach (var e in events) Events.Publish(e with { Index = index });
        return result;
    }
}

/// <summary>A write rejected by the state machine, with Consul's message.</summary>
public sealed class StateException(string message) : Exception(message);

/// <summary>Undo the whole command but answer with a value (a transaction's errors).</summary>
public sealed class StateRollback(object value) : Exception("rolled back")
{
    public object Value { get; } = value;
}
