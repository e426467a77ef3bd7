using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Core.Cluster;

/// <summary>
/// A client agent's write path: every command goes to a server over the server RPC (which
/// forwards to the leader); the answer is returned once this agent's replica has applied it,
/// so the caller's next read here sees its own write.
/// </summary>
public sealed class ForwardingCommandLog(StateReplica replica, AppliedIndex applied, ServerRpcClient rpc, TimeProvider time) : ICommandLog
{
    /// <summary>performance.rpc_hold_timeout: how long a request that needs the leader keeps retrying while there is none.</summary>
    public TimeSpan HoldTimeout { get; init; } = LeaderWait.HoldTimeout;

    public ConsistencyInfo Consistency => replica.Consistency;

    public Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default)
    {
        var bytes = CommandCodec.Encode(command);
        return LeaderWait.RetryAsync(() => OnServerAsync(async server =>
        {
            var result = await rpc.ApplyAsync(server, bytes, forwarded: false, ct);
            await CatchUpAsync(result.Index, ct);
            return result;
        }), time, ct, idempotent: false, HoldTimeout);
    }

    public Task ConsistentReadBarrierAsync(CancellationToken ct = default) => ReadBarrierAsync(lease: false, ct);

    public Task DefaultReadBarrierAsync(CancellationToken ct = default) => ReadBarrierAsync(lease: true, ct);

    private async Task ReadBarrierAsync(bool lease, CancellationToken ct)
    {
        var index = await LeaderWait.RetryAsync(() => OnServerAsync(server => rpc.ReadIndexAsync(server, forwarded: false, lease, ct)), time, ct, holdTimeout: HoldTimeout);
        await CatchUpAsync(index, ct);
    }

    /// <summary>Session renewals go to the leader, where the TTL timers run.</summary>
    public Task<bool> RenewSessionAsync(string sessionId, CancellationToken ct) =>
        LeaderWait.RetryAsync(() => OnServerAsync(server => rpc.RenewSessionAsync(server, sessionId, forwarded: false, ct)), time, ct, holdTimeout: HoldTimeout);

    /// <summary>Runs a call on the server this agent follows; a server that does not answer is dropped for another.</summary>
    private async Task<T> OnServerAsync<T>(Func<string, Task<T>> call)
    {
        var server = replica.PickServer() ?? throw new NoLeaderException("No known Consul servers");
        try { return await call(server); }
        catch (ServerRpcException e) when (e.StatusCode is Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Unavailable)
        {
            replica.Abandon(server);
            throw;
        }
    }

    private Task CatchUpAsync(ulong index, CancellationToken ct) => applied.WaitAtMostAsync(index, RaftCommandLog.CatchUpLimit, ct);
}
