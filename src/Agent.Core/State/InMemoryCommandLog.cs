namespace Consul.Core.State;

/// <summary>
/// Single-node log for a dev agent: every command goes through the same encode →
/// append → apply path Raft will use, so behaviour is identical, just not durable.
/// Only the index and the encoded bytes are kept, for snapshot/restore parity.
/// </summary>
public sealed class InMemoryCommandLog(StateMachine fsm, string leaderAddress) : ICommandLog
{
    private readonly object _gate = new();
    private ulong _lastIndex;

    public ConsistencyInfo Consistency { get; } = new(true, TimeSpan.Zero, leaderAddress);

    public ulong LastIndex { get { lock (_gate) return _lastIndex; } }

    // A single node applies synchronously: its state is always current.
    public Task ConsistentReadBarrierAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var bytes = CommandCodec.Encode(command);
        lock (_gate)
        {
            var index = ++_lastIndex;
            return Task.FromResult(fsm.Apply(index, bytes));
        }
    }
}
