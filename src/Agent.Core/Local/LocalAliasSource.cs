using Consul.Core.Checks;
using Consul.Core.State;

namespace Consul.Core.Local;

/// <summary>What alias checks read: this agent's own checks, or a node's checks in the catalog.</summary>
public sealed class LocalAliasSource(LocalState local, StateStore store) : IAliasSource
{
    public ValueTask<AliasChecks> GetChecksAsync(string? node, CancellationToken cancellationToken)
    {
        if (node is null)
            return ValueTask.FromResult(new AliasChecks((ulong)local.Version, local.Checks().Select(c => c.Check).ToList()));
        var snap = store.Current;
        return ValueTask.FromResult(new AliasChecks(snap.TableIndex(Tables.Checks), snap.ChecksOn(node).ToList()));
    }

    public ValueTask<bool> ServiceExistsAsync(string? node, string serviceId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(node is null
            ? local.Service(serviceId) is not null
            : store.Current.ServicesOn(node).Any(s => s.ID == serviceId));

    public async Task WaitForChangeAsync(string? node, ulong afterIndex, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = node is null ? local.WaitForChange() : store.WatchTable(Tables.Checks);
            var index = node is null ? (ulong)local.Version : store.Current.TableIndex(Tables.Checks);
            if (index > afterIndex) return;
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
