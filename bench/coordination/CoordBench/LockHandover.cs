using System.Diagnostics;
using HdrHistogram;

namespace Consul.Bench.Coordination;

/// <summary>
/// Two sessions pass one KV lock back and forth. The waiter parks a blocking GET on the key
/// and tries ?acquire= once it sees the Session field empty; latency runs from the holder's
/// ?release= response to the waiter's successful acquire response.
/// </summary>
public static class LockHandover
{
    private const string Key = "bench/lock";
    // Gives the waiter's blocking GET time to reach the agent before the release, so the
    // measured path is the blocking-query wake-up rather than an immediate return.
    private static readonly TimeSpan ParkGap = TimeSpan.FromMilliseconds(20);

    public sealed class Result
    {
        public LongHistogram FromReleaseResponse { get; } = new(1, 60_000_000, 3);
        public LongHistogram FromReleaseSent { get; } = new(1, 60_000_000, 3);
        public int BeforeReleaseResponse { get; set; }
    }

    public static async Task<Result> RunAsync(AgentApi api, int handovers)
    {
        var result = new Result();
        var sessions = new[]
        {
            await api.CreateSessionAsync("bench-a", "0s"),
            await api.CreateSessionAsync("bench-b", "0s"),
        };
        try
        {
            if (!await api.LockVerbAsync(Key, "acquire", sessions[0])) throw new InvalidOperationException("A could not take the lock");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < handovers; i++)
            {
                var holder = sessions[i % 2];
                var waiter = sessions[(i + 1) % 2];
                var (current, index) = await api.ReadLockAsync(Key, 0, "");
                if (current != holder) throw new InvalidOperationException($"expected holder {holder}, saw '{current}'");
                var acquired = WaitAndAcquireAsync(api, waiter, index, clock);
                await Task.Delay(ParkGap);
                var sent = clock.Elapsed;
                if (!await api.LockVerbAsync(Key, "release", holder)) throw new InvalidOperationException("release refused");
                var released = clock.Elapsed;
                var tookAt = await acquired;
                // On a busy machine B's acquire response can be processed before A's release
                // response continuation runs; such hand-overs count as 0 and are reported.
                var afterResponse = (long)(tookAt - released).TotalMicroseconds;
                if (afterResponse < 0) result.BeforeReleaseResponse++;
                result.FromReleaseResponse.RecordValue(Math.Max(0, afterResponse));
                result.FromReleaseSent.RecordValue((long)(tookAt - sent).TotalMicroseconds);
            }
            await api.LockVerbAsync(Key, "release", sessions[handovers % 2]);
        }
        finally
        {
            foreach (var s in sessions) await api.DestroySessionAsync(s);
        }
        return result;
    }

    private static async Task<TimeSpan> WaitAndAcquireAsync(AgentApi api, string session, ulong index, Stopwatch clock)
    {
        while (true)
        {
            var (holder, next) = await api.ReadLockAsync(Key, index, "30s");
            index = next;
            if (holder == "" && await api.LockVerbAsync(Key, "acquire", session)) return clock.Elapsed;
        }
    }
}
