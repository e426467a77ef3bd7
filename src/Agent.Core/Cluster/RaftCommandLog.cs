using Consul.Core.Raft;
using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Core.Cluster;

/// <summary>
/// A server's write path: the leader proposes to Raft; a follower forwards to the leader over
/// the server RPC and then waits until its own state has applied the write, so the caller's
/// next read on this server sees it. Also answers the RPCs other agents send this server.
/// </summary>
public sealed class RaftCommandLog(RaftNode node, StateStore store, AppliedIndex applied, StateFeed feed, ServerRpcClient rpc, TimeProvider time)
    : ICommandLog, IServerRpcHandler
{
    /// <summary>performance.rpc_hold_timeout: how long a request that needs the leader keeps retrying while there is none.</summary>
    public TimeSpan HoldTimeout { get; init; } = LeaderWait.HoldTimeout;

    /// <summary>How long a forwarded write waits for this server to apply it before answering anyway.</summary>
    public static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(5);

    /// <summary>Set by the host: the leader's session TTL timers (renewals are served there).</summary>
    public SessionTimers? SessionTimers { get; set; }

    public StateFeed Feed => feed;

    public ulong RaftLastIndex => node.Status?.LastLogIndex ?? 0;

    public (bool KnownLeader, string LeaderAddress) Leader => (node.LeaderId is not null, node.LeaderAddress ?? "");

    public ConsistencyInfo Consistency =>
        new(node.LeaderId is not null, node.IsLeader ? TimeSpan.Zero : node.Status?.LastContact ?? TimeSpan.Zero, node.LeaderAddress ?? "");

    public Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default) =>
        ApplyEncodedAsync(CommandCodec.Encode(command), forwarded: false, ct);

    public async Task ConsistentReadBarrierAsync(CancellationToken ct = default)
    {
        var index = await ReadIndexAsync(forwarded: false, lease: false, ct);
        await applied.WaitAsync(index, ct);
    }

    public async Task DefaultReadBarrierAsync(CancellationToken ct = default)
    {
        var index = await ReadIndexAsync(forwarded: false, lease: true, ct);
        await applied.WaitAsync(index, ct);
    }

    public Task<ApplyResult> ApplyEncodedAsync(ReadOnlyMemory<byte> command, bool forwarded, CancellationToken ct)
    {
        var bytes = command.ToArray();
        return LeaderWait.RetryAsync(async () =>
        {
            if (node.IsLeader) return (ApplyResult)(await node.ProposeAsync(bytes, ct)).Result!;
            var leader = LeaderToForwardTo(forwarded);
            var result = await rpc.ApplyAsync(leader, bytes, forwarded: true, ct);
            await CatchUpAsync(result.Index, ct);
            return result;
        }, time, ct, idempotent: false, HoldTimeout);
    }

    public Task<ulong> ReadIndexAsync(bool forwarded, bool lease, CancellationToken ct) =>
        LeaderWait.RetryAsync(async () =>
        {
            if (node.IsLeader)
            {
                if (lease) await node.LeaseReadAsync(ct);
                else await node.ReadIndexAsync(ct);
                return applied.Value;
            }
            return await rpc.ReadIndexAsync(LeaderToForwardTo(forwarded), forwarded: true, lease, ct);
        }, time, ct, holdTimeout: HoldTimeout);

    public Task<bool> RenewSessionAsync(string sessionId, bool forwarded, CancellationToken ct) =>
        LeaderWait.RetryAsync(async () =>
        {
            if (!node.IsLeader) return await rpc.RenewSessionAsync(LeaderToForwardTo(forwarded), sessionId, forwarded: true, ct);
            // The leader's state has every committed session (it applies before acknowledging).
            if (!store.Current.Sessions.TryGetValue(sessionId, out var session)) return false;
            SessionTimers?.Reset(session);
            return true;
        }, time, ct, holdTimeout: HoldTimeout);

    private string LeaderToForwardTo(bool forwarded)
    {
        // A forwarded request reached a server that is not the leader (any more): the sender retries.
        if (forwarded) throw new NoLeaderException();
        return node.LeaderAddress is { Length: > 0 } a && a != node.Address ? a : throw new NoLeaderException();
    }

    private Task CatchUpAsync(ulong index, CancellationToken ct) => applied.WaitAtMostAsync(index, CatchUpLimit, ct);
}
