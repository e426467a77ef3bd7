using Consul.Core.Events;

namespace Consul.Core.State;

/// <summary>
/// The finite state machine the log feeds. Applies one command at a time (the caller
/// serializes), stamps what changed with the command's index, swaps in the new
/// snapshot and then publishes the resulting cluster events.
/// Every server and client replica applies the same bytes, so applying must be deterministic:
/// no clock, randomness or hash-order dependence in a write path; whatever varies (session IDs,
/// check output) is decided by the proposer and carried in the command. Lock-delays are the one
/// clock-driven side effect, and like Consul's they stay outside the replicated state.
/// </summary>
public sealed class StateMachine
{
    private readonly object _applyGate = new();
    private ulong _appliedIndex;

    public StateMachine(StateStore store, EventStream events, TimeProvider? time = null)
    {
        Store = store;
        Events = events;
        LockDelays = new LockDelays(time ?? TimeProvider.System);
    }

    public LockDelays LockDelays { get; }

    public StateStore Store { get; }
    public EventStream Events { get; }

    /// <summary>Index of the last command handed to <see cref="Apply(ulong, StateCommand)"/>, including
    /// rejected and no-op ones (which leave the snapshot's LastIndex alone); after a restore, the
    /// snapshot's LastIndex.</summary>
    public ulong AppliedIndex
    {
        get { lock (_applyGate) return _appliedIndex; }
    }

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
            // Raft hands out each index once, in order; an older one means a replay bug upstream.
            if (index <= _appliedIndex)
                throw new InvalidOperationException($"command index {index} is not after the last applied index {_appliedIndex}");
            _appliedIndex = index;
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
                    AclCommand a => AclWrites.Apply(txn, a),
                    PreparedQueryCommand q => PreparedQueryWrites.Apply(txn, q),
                    CoordinateBatchCommand c => CoordinateWrites.Apply(txn, c),
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
            catch (Exception e) when (e is ArgumentException or NullReferenceException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                // A write path that trips over malformed input (a null name from a hand-written body) must
                // not take the log down: it fails the same way on every replica, so reject it like any other.
                return new ApplyResult(index, null, "invalid request: " + e.Message);
            }
            var next = txn.Commit(out var changed);
            Store.Publish(next, changed);
            foreach (var (key, delay) in txn.LockDelays) LockDelays.Start(key, delay);
            events = txn.Events;
        }
        foreach (var e in events) Events.Publish(e with { Index = index });
        return result;
    }

    /// <summary>
    /// Replaces the whole state with <paramref name="snapshot"/> (a Raft snapshot install or a
    /// replica's initial sync). Every blocking query wakes, lock-delays are forgotten, and
    /// applying continues with indexes after the snapshot's LastIndex.
    /// </summary>
    public void Restore(StateSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_applyGate)
        {
            Store.Replace(snapshot);
            LockDelays.Clear();
            _appliedIndex = snapshot.LastIndex;
        }
    }
}

/// <summary>A write rejected by the state machine, with Consul's message.</summary>
public sealed class StateException(string message) : Exception(message);

/// <summary>Undo the whole command but answer with a value (a transaction's errors).</summary>
public sealed class StateRollback(object value) : Exception("rolled back")
{
    public object Value { get; } = value;
}
