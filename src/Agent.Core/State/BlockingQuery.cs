namespace Consul.Core.State;

/// <summary>What a read returns: the index to report, the value, and a fingerprint of
/// exactly what it read, so a blocking query only returns when that changed.</summary>
public readonly record struct QueryResult<T>(ulong Index, T Value, ulong Fingerprint)
{
    public QueryResult(ulong index, T value) : this(index, value, index) { }
}

/// <summary>
/// Consul's blocking-query loop: answer at once unless the caller's index is current;
/// otherwise wait until a table the query reads changes in a way that alters what it
/// read, or until the wait (plus jitter) runs out.
/// </summary>
public static class BlockingQuery
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);
    private const int JitterFraction = 16;

    public static async Task<QueryResult<T>> RunAsync<T>(
        StateStore store, ulong minIndex, TimeSpan wait, string[] tables,
        Func<StateSnapshot, QueryResult<T>> query, TimeProvider time, Random random, CancellationToken ct)
    {
        var result = Normalize(query(store.Current));
        if (minIndex == 0 || result.Index > minIndex) return result;

        if (wait <= TimeSpan.Zero) wait = DefaultWait;
        wait += TimeSpan.FromTicks((long)(random.NextDouble() * (wait.Ticks / JitterFraction)));

        using var deadline = new CancellationTokenSource(wait, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reg = timeout.Token.Register(() => timedOut.TrySetResult());

        var fingerprint = result.Fingerprint;
        while (true)
        {
            // Arm the watches before reading, so no change between read and wait is missed.
            var watches = new Task[tables.Length + 1];
            for (var i = 0; i < tables.Length; i++) watches[i] = store.WatchTable(tables[i]);
            watches[^1] = timedOut.Task;

            result = Normalize(query(store.Current));
            if (result.Fingerprint != fingerprint && result.Index > minIndex) return result;
            if (timedOut.Task.IsCompleted)
            {
                ct.ThrowIfCancellationRequested();
                return result;
            }
            await Task.WhenAny(watches).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// ?wait as Consul applies it: unset means default_query_time (5m unless configured), and at
    /// most max_query_time (10m unless configured).
    /// </summary>
    public static TimeSpan ClampWait(TimeSpan wait, TimeSpan defaultWait = default, TimeSpan maxWait = default)
    {
        if (defaultWait <= TimeSpan.Zero) defaultWait = DefaultWait;
        if (maxWait <= TimeSpan.Zero) maxWait = MaxWait;
        return wait <= TimeSpan.Zero ? defaultWait : wait > maxWait ? maxWait : wait;
    }

    // Consul never reports index 0: a client would loop without blocking.
    private static QueryResult<T> Normalize<T>(QueryResult<T> r) =>
        r.Index == 0 ? r with { Index = 1 } : r;
}
