using System.Collections.Immutable;
using Consul.Core.Events;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>Catalog writes with Consul's semantics (state/catalog.go): unchanged
/// records keep their indexes, CreateIndex survives updates, checks carry their
/// service's name and tags.</summary>
internal static class CatalogWrites
{
    public static object? Register(StateTxn txn, RegisterCommand r)
    {
        if (string.IsNullOrEmpty(r.Node)) throw new StateException("Must provide node");
        if (!r.SkipNodeUpdate || !txn.Snap.Nodes.ContainsKey(r.Node)) EnsureNode(txn, r);
        if (r.Service is not null) EnsureService(txn, r.Node, r.Service);
        if (r.Check is not null) EnsureCheck(txn, r.Node, r.Check);
        foreach (var c in r.Checks ?? []) EnsureCheck(txn, r.Node, c);
        return true;
    }

    private static void EnsureNode(StateTxn txn, RegisterCommand r)
    {
        var snap = txn.Snap;
        snap.Nodes.TryGetValue(r.Node, out var existing);
        var node = new Node
        {
            ID = r.ID,
            Name = existing?.Name ?? r.Node,
            Address = r.Address,
            Datacenter = r.Datacenter,
            TaggedAddresses = r.TaggedAddresses ?? new(),
            Meta = r.NodeMeta ?? new(),
        };
        if (existing is not null)
        {
            if (!string.IsNullOrEmpty(existing.ID) && !string.IsNullOrEmpty(r.ID) &&
                !string.Equals(existing.ID, r.ID, StringComparison.OrdinalIgnoreCase) && !string.Equals(existing.Name, r.Node, StringComparison.Ordinal))
                throw new StateException($"Error registering node: node ID {r.ID} for node {r.Node} aliases existing node {existing.Name}");
            if (SameNode(existing, node)) return;
            node = node with { Name = r.Node, CreateIndex = existing.CreateIndex, ModifyIndex = txn.Index };
        }
        else
        {
            node = node with { CreateIndex = txn.Index, ModifyIndex = txn.Index };
            txn.Events.Add(new NodeRegistered(node.Name, node.Address));
        }
        txn.Update(s => s with { Nodes = s.Nodes.SetItem(r.Node, node) }, Tables.Nodes);
        txn.TouchServicesOn(r.Node);
    }

    private static bool SameNode(Node a, Node b) =>
        a.ID == b.ID && a.Address == b.Address && a.Datacenter == b.Datacenter && a.Name == b.Name &&
        DictEqual(a.TaggedAddresses, b.TaggedAddresses) && DictEqual(a.Meta, b.Meta);

    private static void EnsureService(StateTxn txn, string nodeName, NodeService svc)
    {
        if (!txn.Snap.Nodes.ContainsKey(nodeName)) throw new StateException("Missing node registration");
        if (string.IsNullOrEmpty(svc.Service)) throw new StateException("Must provide service name");
        var id = string.IsNullOrEmpty(svc.ID) ? svc.Service : svc.ID;
        var services = txn.Snap.Services.GetValueOrDefault(nodeName) ?? StateTxn.EmptyById<NodeService>();
        services.TryGetValue(id, out var existing);
        var next = svc with { ID = id, CreateIndex = existing?.CreateIndex ?? txn.Index, ModifyIndex = txn.Index };
        if (existing is not null && SameService(existing, next)) return;

        txn.Update(s =>
        {
            var nodes = s.ServiceNodes.GetValueOrDefault(next.Service) ?? ImmutableSortedSet.Create(StateSnapshot.NodeOrder);
            var serviceNodes = s.ServiceNodes.SetItem(next.Service, nodes.Add(nodeName));
            if (existing is not null && existing.Service != next.Service)
                serviceNodes = RemoveServiceNode(s with { ServiceNodes = serviceNodes }, nodeName, existing, services.Remove(id)).ServiceNodes;
            return s with { Services = s.Services.SetItem(nodeName, services.SetItem(id, next)), ServiceNodes = serviceNodes };
        }, Tables.Services);
        txn.TouchService(next.Service);
        if (existing is not null && existing.Service != next.Service) txn.TouchService(existing.Service);
        if (existing is null || existing.Service != next.Service)
            txn.Events.Add(new ServiceRegistered(nodeName, id, next.Service));

        // Service checks carry the service's name and tags; refresh them on change.
        foreach (var check in txn.Snap.ChecksOn(nodeName).Where(c => c.ServiceID == id).ToList())
        {
            if (check.ServiceName == next.Service && check.ServiceTags.SequenceEqual(next.Tags)) continue;
            var updated = check with { ServiceName = next.Service, ServiceTags = next.Tags, ModifyIndex = txn.Index };
            txn.Update(s => s with { Checks = s.Checks.SetItem(nodeName, s.Checks[nodeName].SetItem(check.CheckID, updated)) }, Tables.Checks);
        }
    }

    /// <summary>Same content, indexes aside (also what anti-entropy compares).</summary>
    internal static bool SameService(NodeService a, NodeService b) =>
        a.Kind == b.Kind && a.ID == b.ID && a.Service == b.Service && a.Address == b.Address && a.Port == b.Port &&
        a.EnableTagOverride == b.EnableTagOverride && a.Weights == b.Weights && a.Tags.SequenceEqual(b.Tags) &&
        DictEqual(a.Meta, b.Meta) && DictEqual(a.TaggedAddresses, b.TaggedAddresses);

    private static void EnsureCheck(StateTxn txn, string nodeName, HealthCheck check)
    {
        if (!txn.Snap.Nodes.ContainsKey(nodeName)) throw new StateException("Missing node registration");
        if (string.IsNullOrEmpty(check.CheckID)) throw new StateException("Missing check ID");
        var status = string.IsNullOrEmpty(check.Status) ? HealthStatus.Critical : check.Status;
        if (!HealthStatus.IsValid(status)) throw new StateException($"Invalid check status: \"{status}\"");
        var next = check with { Node = nodeName, Status = status };
        if (!string.IsNullOrEmpty(check.ServiceID))
        {
            if (!txn.Snap.Services.TryGetValue(nodeName, out var svcs) || !svcs.TryGetValue(check.ServiceID, out var svc))
                throw new StateException($"Missing service registration for check {check.CheckID}");
            next = next with { ServiceName = svc.Service, ServiceTags = svc.Tags };
        }
        else next = next with { ServiceName = "", ServiceTags = new() };

        var checks = txn.Snap.Checks.GetValueOrDefault(nodeName) ?? StateTxn.EmptyById<HealthCheck>();
        checks.TryGetValue(check.CheckID, out var existing);
        next = next with { CreateIndex = existing?.CreateIndex ?? txn.Index, ModifyIndex = txn.Index };
        if (existing is not null && SameCheck(existing, next)) return;

        txn.Update(s => s with { Checks = s.Checks.SetItem(nodeName, checks.SetItem(next.CheckID, next)) }, Tables.Checks);
        if (next.Status == HealthStatus.Critical) SessionWrites.InvalidateForCheck(txn, nodeName, next.CheckID);
        if (next.ServiceID == "") txn.TouchServicesOn(nodeName);
        else txn.TouchService(next.ServiceName);
        if (existing is null || existing.Status != next.Status)
            txn.Events.Add(new CheckStatusChanged(nodeName, next.CheckID, next.ServiceID, existing?.Status ?? "", next.Status, next.Output));
    }

    private static bool SameCheck(HealthCheck a, HealthCheck b) =>
        a.Name == b.Name && a.Status == b.Status && a.Notes == b.Notes && a.Output == b.Output &&
        a.ServiceID == b.ServiceID && a.ServiceName == b.ServiceName && a.ServiceTags.SequenceEqual(b.ServiceTags) &&
        a.Type == b.Type && a.Interval == b.Interval && a.Timeout == b.Timeout;

    public static object? Deregister(StateTxn txn, DeregisterCommand d)
    {
        if (string.IsNullOrEmpty(d.Node)) throw new StateException("Must provide node");
        if (!txn.Snap.Nodes.ContainsKey(d.Node)) return true; // Consul treats a missing node as done.
        if (!string.IsNullOrEmpty(d.ServiceID)) DeleteService(txn, d.Node, d.ServiceID);
        else if (!string.IsNullOrEmpty(d.CheckID)) DeleteCheck(txn, d.Node, d.CheckID);
        else DeleteNode(txn, d.Node);
        return true;
    }

    private static void DeleteNode(StateTxn txn, string nodeName)
    {
        foreach (var svc in txn.Snap.ServicesOn(nodeName).ToList()) DeleteService(txn, nodeName, svc.ID);
        foreach (var check in txn.Snap.ChecksOn(nodeName).ToList()) DeleteCheck(txn, nodeName, check.CheckID);
        SessionWrites.InvalidateForNode(txn, nodeName);
        txn.Update(s => s with { Nodes = s.Nodes.Remove(nodeName), Services = s.Services.Remove(nodeName), Checks = s.Checks.Remove(nodeName) }, Tables.Nodes);
        CoordinateWrites.RemoveNode(txn, nodeName);
        txn.Events.Add(new NodeDeregistered(nodeName));
    }

    private static void DeleteService(StateTxn txn, string nodeName, string serviceId)
    {
        if (!txn.Snap.Services.TryGetValue(nodeName, out var services) || !services.TryGetValue(serviceId, out var svc)) return;
        foreach (var check in txn.Snap.ChecksOn(nodeName).Where(c => c.ServiceID == serviceId).ToList())
            DeleteCheck(txn, nodeName, check.CheckID);
        var remaining = services.Remove(serviceId);
        txn.Update(s => RemoveServiceNode(s with { Services = s.Services.SetItem(nodeName, remaining) }, nodeName, svc, remaining), Tables.Services);
        txn.TouchService(svc.Service);
        txn.Events.Add(new ServiceDeregistered(nodeName, serviceId, svc.Service));
    }

    // Drop the node from the service-name index when it runs no other instance of that name.
    private static StateSnapshot RemoveServiceNode(StateSnapshot s, string nodeName, NodeService removed,
        ImmutableSortedDictionary<string, NodeService> remainingOnNode)
    {
        if (remainingOnNode.Values.Any(x => x.Service == removed.Service)) return s;
        if (!s.ServiceNodes.TryGetValue(removed.Service, out var nodes)) return s;
        nodes = nodes.Remove(nodeName);
        return s with
        {
            ServiceNodes = nodes.Count == 0 ? s.ServiceNodes.Remove(removed.Service) : s.ServiceNodes.SetItem(removed.Service, nodes),
        };
    }

    private static void DeleteCheck(StateTxn txn, string nodeName, string checkId)
    {
        if (!txn.Snap.Checks.TryGetValue(nodeName, out var checks) || !checks.TryGetValue(checkId, out var check)) return;
        txn.Update(s => s with { Checks = s.Checks.SetItem(nodeName, checks.Remove(checkId)) }, Tables.Checks);
        SessionWrites.InvalidateForCheck(txn, nodeName, checkId);
        if (check.ServiceID == "") txn.TouchServicesOn(nodeName);
        else txn.TouchService(check.ServiceName);
    }

    internal static bool DictEqual<TV>(Dictionary<string, TV> a, Dictionary<string, TV> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && EqualityComparer<TV>.Default.Equals(kv.Value, v));
}
