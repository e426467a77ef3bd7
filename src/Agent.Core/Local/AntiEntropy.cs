using Consul.Core.Model;
using Consul.Core.State;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Local;

/// <summary>
/// Makes the catalog's view of this node match <see cref="LocalState"/> (Consul's
/// anti-entropy): on every local change and on a periodic full sync it registers what
/// is missing or different and deregisters what the agent no longer has.
/// </summary>
public sealed class AntiEntropy(LocalState local, StateStore store, ICommandLog log, TimeProvider time, ILogger logger)
{
    /// <summary>Consul's default full-sync interval for small clusters.</summary>
    public static readonly TimeSpan FullSyncInterval = TimeSpan.FromMinutes(1);

    /// <summary>IDs the servers manage themselves, never synced from the agent.</summary>
    private static readonly HashSet<string> ServerManagedChecks = new(StringComparer.Ordinal) { "serfHealth" };
    private static readonly HashSet<string> ServerManagedServices = new(StringComparer.Ordinal) { "consul" };

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var changed = local.WaitForChange();
            try
            {
                await SyncAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning("Syncing failed: {Error}", e.Message);
            }
            using var delay = new CancellationTokenSource(FullSyncInterval, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, delay.Token);
            var tick = Task.Delay(Timeout.Infinite, linked.Token);
            await Task.WhenAny(changed, tick).ConfigureAwait(false);
        }
    }

    public async Task SyncAsync(CancellationToken ct)
    {
        var id = local.Identity;
        var snap = store.Current;
        snap.Nodes.TryGetValue(id.NodeName, out var node);
        if (node is null || node.Address != id.Address || node.ID != id.NodeId || !CatalogWrites.DictEqual(node.Meta, id.NodeMeta) ||
            !CatalogWrites.DictEqual(node.TaggedAddresses, id.TaggedAddresses))
        {
            await Apply(new RegisterCommand
            {
                Node = id.NodeName, ID = id.NodeId, Address = id.Address, Datacenter = id.Datacenter,
                TaggedAddresses = id.TaggedAddresses, NodeMeta = new(id.NodeMeta),
            }, ct).ConfigureAwait(false);
        }

        var localServices = local.Services().ToDictionary(s => s.Service.ID, StringComparer.Ordinal);
        var remoteServices = store.Current.ServicesOn(id.NodeName).ToDictionary(s => s.ID, StringComparer.Ordinal);
        foreach (var (sid, ls) in localServices)
        {
            var svc = ls.Service;
            if (remoteServices.TryGetValue(sid, out var remote))
            {
                if (svc.EnableTagOverride && !remote.Tags.SequenceEqual(svc.Tags))
                {
                    local.AdoptCatalogTags(sid, remote.Tags);
                    svc = svc with { Tags = remote.Tags };
                }
                if (CatalogWrites.SameService(remote, svc)) continue;
            }
            await Apply(new RegisterCommand
            {
                Node = id.NodeName, ID = id.NodeId, Address = id.Address, Datacenter = id.Datacenter,
                SkipNodeUpdate = true, Service = svc,
            }, ct).ConfigureAwait(false);
        }
        foreach (var sid in remoteServices.Keys.Where(k => !localServices.ContainsKey(k) && !ServerManagedServices.Contains(k)))
            await Apply(new DeregisterCommand { Node = id.NodeName, ServiceID = sid }, ct).ConfigureAwait(false);

        var localChecks = local.Checks().ToDictionary(c => c.Check.CheckID, StringComparer.Ordinal);
        var remoteChecks = store.Current.ChecksOn(id.NodeName).ToDictionary(c => c.CheckID, StringComparer.Ordinal);
        foreach (var (cid, lc) in localChecks)
        {
            // serfHealth belongs to the leader (gossip's verdict on this node); a local check
            // with that ID must not overwrite it, or a failed node could be synced back to passing.
            if (ServerManagedChecks.Contains(cid)) continue;
            var check = lc.Check;
            if (remoteChecks.TryGetValue(cid, out var remote))
            {
                // While an output-only change waits for check_update_interval, the output
                // difference alone is no reason to write (Consul's updateSyncState).
                if (SameCheckIgnoringOutput(remote, check) && (remote.Output == check.Output || lc.OutputSyncDeferred)) continue;
            }
            if (check.ServiceID != "" && !localServices.ContainsKey(check.ServiceID)) continue;
            await Apply(new RegisterCommand
            {
                Node = id.NodeName, ID = id.NodeId, Address = id.Address, Datacenter = id.Datacenter,
                SkipNodeUpdate = true, Check = check,
            }, ct).ConfigureAwait(false);
            local.CheckSynced(cid, check.Output);
        }
        foreach (var cid in remoteChecks.Keys.Where(k => !localChecks.ContainsKey(k) && !ServerManagedChecks.Contains(k)))
            await Apply(new DeregisterCommand { Node = id.NodeName, CheckID = cid }, ct).ConfigureAwait(false);
    }

    private async Task Apply(StateCommand command, CancellationToken ct)
    {
        var result = await log.ApplyAsync(command, ct).ConfigureAwait(false);
        if (!result.Ok) logger.LogWarning("Sync rejected: {Error}", result.Error);
    }

    private static bool SameCheckIgnoringOutput(HealthCheck a, HealthCheck b) =>
        a.Name == b.Name && a.Status == b.Status && a.Notes == b.Notes && a.ServiceID == b.ServiceID &&
        a.Type == b.Type && a.Interval == b.Interval && a.Timeout == b.Timeout;
}
