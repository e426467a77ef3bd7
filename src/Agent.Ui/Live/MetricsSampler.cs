using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Consul.Ui.Live;

/// <summary>
/// Takes a <see cref="MetricsHistory"/> sample every <see cref="ConsulUiOptions.SampleInterval"/>:
/// the commit index (Raft's, or the state store's on a dev agent), leader elections seen on the
/// event stream, and LAN members alive/failed.
/// </summary>
public sealed class MetricsSampler(
    MetricsHistory history, StateStore store, EventStream events, IClusterView cluster,
    TimeProvider time, IOptions<ConsulUiOptions> options) : BackgroundService
{
    private long _leaderChanges;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = events.Subscribe();
        var interval = options.Value.SampleInterval;
        TakeSample();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                while (subscription.Reader.TryRead(out var e))
                    if (e is LeaderElected) _leaderChanges++;
                TakeSample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void TakeSample()
    {
        var members = cluster.LanMembers();
        history.Record(time.GetUtcNow(), store.Current.LastIndex, _leaderChanges,
            members.Count(m => m.Status == MemberInfo.StatusAlive),
            members.Count(m => m.Status == MemberInfo.StatusFailed));
    }
}
