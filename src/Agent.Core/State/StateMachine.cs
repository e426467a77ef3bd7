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

    public StateMachine(StateStore store, EventStream events)
    {
        Store = store;
        Events = events;
    }

    public StateStore Store { get; }
    public EventStream Events { get; }

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
                    _ => throw new StateException($"unknown command {command.GetType().Name}"),
                };
                result = new ApplyResult(index, value, null);
            }
            catch (StateException e)
            {
                // A rejected command changes nothing; the index is still consumed, as in Raft.
                return new ApplyResult(index, null, e.Message);
            }
            var next = txn.Commit(out var changed);
            Store.Publish(next, changed);
            events = txn.Events;
        }
        foreach (var e in events) Events.Publish(e with { Index = index });
        return result;
    }
}

/// <summary>A write rejected by the state machine, with Consul's message.</summary>
public sealed class StateException(string message) : Exception(message);
