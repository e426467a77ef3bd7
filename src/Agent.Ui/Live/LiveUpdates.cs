using Consul.Core.Events;

namespace Consul.Ui.Live;

/// <summary>
/// Feeds one component from the event stream without letting a burst freeze it: events are
/// drained in batches and handed over at most once per <c>renderInterval</c>; while a batch
/// is being shown the next one accumulates in the subscription's channel. An optional
/// refresh interval hands over an empty batch when nothing happened, for values that change
/// without events (Raft last contact). An optional filter narrows every batch to what the
/// viewer may see (ACLs); a batch left empty by it is dropped, so hidden activity causes no
/// re-render. Disposing ends the loop and the subscription.
/// </summary>
public sealed class LiveUpdates : IDisposable
{
    private readonly EventSubscription _subscription;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    public LiveUpdates(EventStream events, TimeProvider time, TimeSpan renderInterval, TimeSpan? refreshInterval,
        Func<IReadOnlyList<ClusterEvent>, Task> onBatch, int maxBatch = 1000,
        Func<IReadOnlyList<ClusterEvent>, IReadOnlyList<ClusterEvent>>? filter = null)
    {
        _subscription = events.Subscribe();
        _filter = filter;
        Loop = RunAsync(time, renderInterval, refreshInterval, onBatch, maxBatch, _stop.Token);
    }

    private readonly Func<IReadOnlyList<ClusterEvent>, IReadOnlyList<ClusterEvent>>? _filter;

    /// <summary>The running loop (completes after Dispose); exposed so callers can observe faults.</summary>
    public Task Loop { get; }

    /// <summary>Events this subscriber lost because it fell behind.</summary>
    public long Dropped => _subscription.Dropped;

    private async Task RunAsync(TimeProvider time, TimeSpan renderInterval, TimeSpan? refreshInterval,
        Func<IReadOnlyList<ClusterEvent>, Task> onBatch, int maxBatch, CancellationToken ct)
    {
        await Task.Yield();
        var reader = _subscription.Reader;
        Task<bool>? pendingRead = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                pendingRead ??= reader.WaitToReadAsync(ct).AsTask();
                if (refreshInterval is { } every && !pendingRead.IsCompleted)
                {
                    using var tickCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var tick = Task.Delay(every, time, tickCancel.Token);
                    await Task.WhenAny(pendingRead, tick);
                    tickCancel.Cancel();
                }
                else
                {
                    await pendingRead;
                }

                if (pendingRead.IsCompleted)
                {
                    if (!await pendingRead) return; // stream completed
                    pendingRead = null;
                }

                var drained = new List<ClusterEvent>();
                while (drained.Count < maxBatch && reader.TryRead(out var e)) drained.Add(e);
                var batch = _filter is null || drained.Count == 0 ? drained : _filter(drained);
                if (drained.Count > 0 && batch.Count == 0) continue; // nothing this viewer may see
                // The window starts with the batch, so showing it counts against the interval.
                var window = Task.Delay(renderInterval, time, ct);
                await onBatch(batch);
                await window;
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // Disposed mid-batch (circuit gone): nothing left to show.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _subscription.Dispose();
    }
}
