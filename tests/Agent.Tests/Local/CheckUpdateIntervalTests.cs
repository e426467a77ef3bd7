using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Tests.Cluster;
using Consul.Tests.State;

namespace Consul.Tests.Local;

/// <summary>
/// check_update_interval: an output-only change is pushed to the catalog only when its
/// deferral timer (Interval/2 + stagger in [0, Interval)) fires; a status change is pushed at once.
/// </summary>
public sealed class CheckUpdateIntervalTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private readonly StateFixture _state = new();
    private readonly FsmCommandLog _log;

    public CheckUpdateIntervalTests() => _log = new FsmCommandLog(_state);

    /// <summary>Always draws the same stagger, so the deferral's end is known.</summary>
    private sealed class FixedStagger(Func<long, long> pick) : Random
    {
        public override long NextInt64(long maxValue) => pick(maxValue);
    }

    private (LocalState Local, AntiEntropy Sync) Agent(TimeSpan interval, Func<long, long>? stagger = null)
    {
        var local = new LocalState(new AgentIdentity { NodeName = "n1", NodeId = "id-n1", Datacenter = "dc1", Address = "127.0.0.1" },
            _state.Time, new LocalStateOptions { CheckUpdateInterval = interval, Random = new FixedStagger(stagger ?? (_ => 0)) });
        local.AddCheck(new HealthCheck { CheckID = "mem", Name = "mem", Status = HealthStatus.Passing, Output = "used 10%" }, null, "");
        return (local, new AntiEntropy(local, _state.Store, _log, _state.Time, new TestLogger()));
    }

    private HealthCheck Catalog(string id) => _state.Store.Current.Checks["n1"][id];

    [Fact(Timeout = 10000)]
    public async Task Output_only_change_reaches_the_catalog_when_the_deferral_ends()
    {
        var (local, sync) = Agent(Interval);
        await sync.SyncAsync(default);
        Assert.Equal("used 10%", Catalog("mem").Output);

        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");
        Assert.Equal("used 20%", local.Check("mem")!.Check.Output); // the agent shows it at once
        var changed = local.WaitForChange();
        await sync.SyncAsync(default);
        Assert.Equal("used 10%", Catalog("mem").Output);

        _state.Time.Advance(Interval / 2 - TimeSpan.FromSeconds(1));
        await sync.SyncAsync(default);
        Assert.Equal("used 10%", Catalog("mem").Output);
        Assert.False(changed.IsCompleted);

        _state.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(changed.IsCompleted, "the deferral's end must wake anti-entropy");
        Assert.False(local.Check("mem")!.OutputSyncDeferred);
        await sync.SyncAsync(default);
        Assert.Equal("used 20%", Catalog("mem").Output);
        Assert.Equal(HealthStatus.Passing, Catalog("mem").Status);
    }

    [Fact(Timeout = 10000)]
    public async Task Deferral_adds_the_random_stagger_to_half_the_interval()
    {
        var (local, sync) = Agent(Interval, max => max - 1);
        await sync.SyncAsync(default);
        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");

        _state.Time.Advance(Interval);
        await sync.SyncAsync(default);
        Assert.Equal("used 10%", Catalog("mem").Output);

        _state.Time.Advance(Interval / 2);
        await sync.SyncAsync(default);
        Assert.Equal("used 20%", Catalog("mem").Output);
    }

    [Fact(Timeout = 10000)]
    public async Task Further_output_changes_during_a_deferral_share_its_timer()
    {
        var (local, sync) = Agent(Interval);
        await sync.SyncAsync(default);
        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");
        _state.Time.Advance(Interval / 4);
        local.UpdateCheck("mem", HealthStatus.Passing, "used 30%");

        _state.Time.Advance(Interval / 4);
        await sync.SyncAsync(default);
        Assert.Equal("used 30%", Catalog("mem").Output);
    }

    [Fact(Timeout = 10000)]
    public async Task Status_change_is_synced_at_once_and_ends_the_deferral()
    {
        var (local, sync) = Agent(Interval);
        await sync.SyncAsync(default);
        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");

        var changed = local.WaitForChange();
        local.UpdateCheck("mem", HealthStatus.Warning, "used 95%");
        Assert.True(changed.IsCompleted);
        await sync.SyncAsync(default);
        Assert.Equal(HealthStatus.Warning, Catalog("mem").Status);
        Assert.Equal("used 95%", Catalog("mem").Output);

        // The cancelled timer neither wakes the loop nor writes again.
        var writes = _log.Applied.Count;
        changed = local.WaitForChange();
        _state.Time.Advance(Interval * 2);
        Assert.False(changed.IsCompleted);
        await sync.SyncAsync(default);
        Assert.Equal(writes, _log.Applied.Count);
    }

    [Fact(Timeout = 10000)]
    public async Task Zero_interval_syncs_every_output_change_at_once()
    {
        var (local, sync) = Agent(TimeSpan.Zero);
        await sync.SyncAsync(default);

        var changed = local.WaitForChange();
        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");
        Assert.True(changed.IsCompleted);
        Assert.False(local.Check("mem")!.OutputSyncDeferred);
        await sync.SyncAsync(default);
        Assert.Equal("used 20%", Catalog("mem").Output);
    }

    [Fact(Timeout = 10000)]
    public async Task Full_sync_without_a_pending_deferral_repairs_a_stale_catalog_output()
    {
        var (_, sync) = Agent(Interval);
        await sync.SyncAsync(default);
        // Someone else wrote the check with other output; no deferral is pending here.
        _state.Apply(new Consul.Core.State.RegisterCommand
        {
            Node = "n1", Address = "127.0.0.1", Datacenter = "dc1", SkipNodeUpdate = true,
            Check = Catalog("mem") with { Output = "stale" },
        });

        await sync.SyncAsync(default);
        Assert.Equal("used 10%", Catalog("mem").Output);
    }

    [Fact(Timeout = 10000)]
    public async Task Removed_check_leaves_no_timer_behind()
    {
        var (local, sync) = Agent(Interval);
        await sync.SyncAsync(default);
        local.UpdateCheck("mem", HealthStatus.Passing, "used 20%");
        Assert.True(local.RemoveCheck("mem"));

        var changed = local.WaitForChange();
        _state.Time.Advance(Interval * 2);
        Assert.False(changed.IsCompleted);
    }
}
