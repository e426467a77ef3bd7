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

    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + HoldTimeout;
        while (true)
        {
            try { return await attempt(); }
            catch (Exception e) when (IsLeaderProblem(e) && time.GetUtcNow() < deadline && !ct.IsCancellationRequested)
            {
                await Task.Delay(RetryPause, time, ct);
            }
            catch (Exception e) when (IsLeaderProblem(e) && !ct.IsCancellationRequested)
            {
                throw new NoLeaderException();
            }
        }
    }

    /// <summary>No leader, a stale leader, or a leader that cannot be reached right now.</summary>
    private static bool IsLeaderProblem(Exception e) =>
        e is NoLeaderException or Raft.NotLeaderException
        || e is ServerRpcException { StatusCode: Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded };
}
