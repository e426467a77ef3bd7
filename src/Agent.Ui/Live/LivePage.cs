using Consul.Core.Events;
using Consul.Core.State;
using Consul.Ui.Acl;
using Consul.Ui.Views;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Consul.Ui.Live;

/// <summary>
/// Base for pages that show live cluster state. <see cref="Refresh"/> re-reads the read
/// models; it runs on first render and after every coalesced batch of events. The
/// subscription starts only once the component is interactive (not while prerendering)
/// and ends when the component — or its circuit — is disposed. Events reach the page only if
/// the signed-in token (or the anonymous one) may see what they describe.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private LiveUpdates? _live;

    [Inject] protected EventStream Events { get; set; } = default!;
    [Inject] protected TimeProvider Time { get; set; } = default!;
    [Inject] protected IOptions<ConsulUiOptions> UiOptions { get; set; } = default!;
    [Inject] protected UiSession Session { get; set; } = default!;
    [Inject] private StateStore LiveState { get; set; } = default!;

    /// <summary>The events among <paramref name="events"/> this viewer may see.</summary>
    protected IReadOnlyList<ClusterEvent> Permitted(IEnumerable<ClusterEvent> events) =>
        AclVisibility.Filter(Session.Authorizer, LiveState.Current, events);

    /// <summary>Re-read whatever the page shows from the snapshot and cluster view.</summary>
    protected abstract void Refresh();

    /// <summary>Whether the page also refreshes on a timer (for values that change without events).</summary>
    protected virtual bool RefreshPeriodically => false;

    /// <summary>Events since the last batch; runs before <see cref="Refresh"/>.</summary>
    protected virtual void OnEvents(IReadOnlyList<ClusterEvent> batch) { }

    /// <summary>Events this page's subscription lost because they came faster than it could show them.</summary>
    protected long DroppedEvents => _live?.Dropped ?? 0;

    /// <summary>How many re-renders live updates have caused (for diagnostics and tests).</summary>
    public int LiveRenders { get; private set; }

    // Highest event sequence the page reflects; guards against the gap between the first
    // read and the subscription, and against seeing an event twice.
    private long _seen = -1;

    protected override void OnParametersSet()
    {
        if (_seen < 0) _seen = Events.LastSequence;
        Refresh();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        if (_seen < 0) _seen = Events.LastSequence;
        var o = UiOptions.Value;
        _live = new LiveUpdates(Events, Time, o.RenderInterval, RefreshPeriodically ? o.RefreshInterval : null,
            batch => InvokeAsync(() => DeliverOrReport(batch)), filter: Permitted);
        // Events published after the first read but before subscribing are still in the ring.
        var gap = Events.LastSequence - _seen;
        if (gap > 0)
        {
            var missed = Permitted(Events.Recent((int)Math.Min(gap, int.MaxValue)).Where(e => e.Sequence > _seen));
            if (missed.Count > 0) _ = InvokeAsync(() => DeliverOrReport(missed));
        }
    }

    // A failure while re-reading goes to the page's ErrorBoundary (a readable message), not
    // into the background loop where nobody would see it.
    private Task DeliverOrReport(IReadOnlyList<ClusterEvent> batch)
    {
        try
        {
            Deliver(batch);
            return Task.CompletedTask;
        }
        catch (Exception e)
        {
            return DispatchExceptionAsync(e);
        }
    }

    private void Deliver(IReadOnlyList<ClusterEvent> batch)
    {
        var fresh = batch.Where(e => e.Sequence > _seen).ToList();
        if (batch.Count > 0 && fresh.Count == 0) return; // all already shown
        if (fresh.Count > 0) _seen = fresh.Max(e => e.Sequence);
        OnEvents(fresh);
        Refresh();
        LiveRenders++;
        StateHasChanged();
    }

    public virtual void Dispose()
    {
        _live?.Dispose();
        GC.SuppressFinalize(this);
    }
}
