using System.Text.Json.Nodes;

namespace Consul.Core.Watches;

/// <summary>Called with the blocking index and the new result (null = Go's nil).</summary>
public delegate Task WatchHandler(ulong index, JsonNode? result, CancellationToken cancellation);

/// <summary>
/// Runs a <see cref="WatchPlan"/> the way Consul's Plan.Run does: a loop of blocking
/// queries; the first result is always delivered, later ones only when the index moved
/// and the result differs (reflect.DeepEqual); errors back off 5s·failures² up to 180s;
/// the index resets to 0 when it does not move forward.
/// </summary>
public sealed class WatchRunner
{
    /// <summary>Consul's retryInterval and maxBackoffTime.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(180);

    private readonly WatchPlan _plan;
    private readonly WatchFetch _fetch;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();

    public WatchRunner(WatchPlan plan, WatchFetch fetch, TimeProvider time)
    {
        _plan = plan;
        _fetch = fetch;
        _time = time;
    }

    /// <summary>Invoked on each change; required before <see cref="RunAsync"/>.</summary>
    public WatchHandler? Handler { get; set; }

    /// <summary>Told about each failed query and the wait before the next try.</summary>
    public Action<Exception, TimeSpan>? OnError { get; set; }

    /// <summary>The index the next query blocks on (0 = no blocking); for tests and diagnostics.</summary>
    public ulong? LastIndex { get; private set; }

    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Stops the loop; a query in flight is abandoned.</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>Runs until <see cref="Stop"/> or <paramref name="cancellation"/>; returns normally either way.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var handler = Handler ?? throw new InvalidOperationException("WatchRunner.Handler must be set");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, _stop.Token);
        var token = linked.Token;
        var failures = 0;
        JsonNode? lastResult = null;
        while (!token.IsCancellationRequested)
        {
            WatchOutcome outcome;
            try
            {
                outcome = await _plan.Source.FetchAsync(_fetch, LastIndex ?? 0, token).WaitAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!token.IsCancellationRequested)
            {
                failures++;
                LastIndex = null;
                var retry = Backoff(failures);
                OnError?.Invoke(e, retry);
                try
                {
                    await Task.Delay(retry, _time, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            if (token.IsCancellationRequested) return;
            failures = 0;

            if (LastIndex is { } same && same == outcome.Index) continue;
            var previous = LastIndex;
            LastIndex = NextIndex(outcome.Index, previous);
            if (previous is not null && JsonNode.DeepEquals(lastResult, outcome.Result)) continue;

            lastResult = outcome.Result;
            await handler(outcome.Index, outcome.Result, token);
        }
    }

    /// <summary>5s × failures², capped at 180s.</summary>
    public static TimeSpan Backoff(int failures)
    {
        var retry = RetryInterval * ((double)failures * failures);
        return retry > MaxBackoff ? MaxBackoff : retry;
    }

    /// <summary>WaitIndexVal.Next: an index that did not move forward starts over from 0.</summary>
    public static ulong NextIndex(ulong index, ulong? previous) =>
        previous is { } p && index <= p ? 0 : index;
}
