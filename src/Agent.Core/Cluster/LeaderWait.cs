using Consul.Core.Rpc;

namespace Consul.Core.Cluster;

/// <summary>
/// Consul's RPC hold timeout: a request that needs the leader while none is known (an
/// election is under way, or the server just started) retries for a while before failing
/// with "No cluster leader".
/// </summary>
public static class LeaderWait
{
    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(7);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Retries <paramref name="attempt"/> while the leader is missing or unreachable. A write is
    /// only sent again when it surely was not applied (refused for want of a leader, or never
    /// delivered): a write lost in flight may have committed, and sending it twice would apply
    /// it twice. Such a write fails instead and the caller must treat it as indeterminate, as
    /// with Consul. Reads (<paramref name="idempotent"/>) retry on any leader trouble.
    /// </summary>
    /// <param name="holdTimeout">performance.rpc_hold_timeout; zero or less means Consul's 7 s.</param>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, TimeProvider time, CancellationToken ct, bool idempotent = true,
        TimeSpan holdTimeout = default)
    {
        var deadline = time.GetUtcNow() + (holdTimeout > TimeSpan.Zero ? holdTimeout : HoldTimeout);
        while (true)
        {
            try { return await attempt(); }
            catch (Exception e) when (Retryable(e, idempotent) && time.GetUtcNow() < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(RetryPause, time, ct);
            }
            catch (Exception e) when (Retryable(e, idempotent) && !ct.IsCancellationRequested)
            {
                throw new NoLeaderException();
            }
        }
    }

    private static bool Retryable(Exception e, bool idempotent) => e switch
    {
        NoLeaderException or Raft.NotLeaderException => true,
        ServerRpcException r when idempotent => r.NoLeader || r.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded,
        ServerRpcException r => r.NoLeader || r.NeverSent,
        _ => false,
    };
}
