using System.Net;
using System.Runtime.CompilerServices;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>
/// Lookups DNS needs that the snapshot does not index: service names ignoring case (DNS is
/// case-insensitive, the catalog's service index is not) and nodes/services by address for
/// PTR. Built once per immutable snapshot and kept alongside it.
/// </summary>
internal sealed class CatalogIndex
{
    private static readonly ConditionalWeakTable<StateSnapshot, CatalogIndex> PerSnapshot = new();

    private readonly StateSnapshot _snapshot;
    private readonly Dictionary<string, List<string>> _serviceNames = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<IPAddress, List<string>>? _nodesByAddress;
    private Dictionary<IPAddress, List<(string, string)>>? _servicesByAddress;

    private CatalogIndex(StateSnapshot snapshot)
    {
        _snapshot = snapshot;
        foreach (var name in snapshot.ServiceNodes.Keys)
        {
            if (!_serviceNames.TryGetValue(name, out var list)) _serviceNames[name] = list = [];
            list.Add(name);
        }
    }

    public static CatalogIndex For(StateSnapshot snapshot) => PerSnapshot.GetValue(snapshot, s => new CatalogIndex(s));

    /// <summary>Instances of a service (name and tag matched ignoring case) that pass the DNS health filter.</summary>
    public List<ServiceInstance> HealthyInstances(string service, string? tag, bool onlyPassing)
    {
        var result = new List<ServiceInstance>();
        if (!_serviceNames.TryGetValue(service, out var names)) return result;
        foreach (var name in names)
        {
            foreach (var (node, svc) in _snapshot.Instances(name))
            {
                if (tag is not null && !svc.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase))) continue;
                var checks = _snapshot.ChecksFor(node.Name, svc.ID).ToList();
                if (checks.Any(c => Excluded(c.Status, onlyPassing))) continue;
                result.Add(new ServiceInstance(node, svc, checks));
            }
        }
        return result;
    }

    /// <summary>Consul's CheckServiceNodes.Filter: critical (or anything not passing with only_passing) drops the instance.</summary>
    private static bool Excluded(string status, bool onlyPassing) =>
        HealthStatus.Rank(status) >= HealthStatus.Rank(HealthStatus.Critical) || (onlyPassing && status != HealthStatus.Passing);

    /// <summary>Nodes (in node order) whose address is <paramref name="ip"/>.</summary>
    public IReadOnlyList<string> NodesByAddress(IPAddress ip)
    {
        _nodesByAddress ??= BuildNodesByAddress();
        return _nodesByAddress.TryGetValue(ip, out var nodes) ? nodes : [];
    }

    /// <summary>Service instances (node, service name) registered with address <paramref name="ip"/>, in node order.</summary>
    public IReadOnlyList<(string Node, string Service)> ServicesByAddress(IPAddress ip)
    {
        _servicesByAddress ??= BuildServicesByAddress();
        return _servicesByAddress.TryGetValue(ip, out var services) ? services : [];
    }

    private Dictionary<IPAddress, List<string>> BuildNodesByAddress()
    {
        var map = new Dictionary<IPAddress, List<string>>();
        foreach (var node in _snapshot.Nodes.Values)
        {
            if (DnsNames.ParseIp(node.Address) is not { } ip) continue;
            if (!map.TryGetValue(ip, out var list)) map[ip] = list = [];
            list.Add(node.Name);
        }
        return map;
    }

    private Dictionary<IPAddress, List<(string, string)>> BuildServicesByAddress()
    {
        var map = new Dictionary<IPAddress, List<(string, string)>>();
        foreach (var (node, services) in _snapshot.Services)
        {
            foreach (var svc in services.Values)
            {
                if (DnsNames.ParseIp(svc.Address) is not { } ip) continue;
                if (!map.TryGetValue(ip, out var list)) map[ip] = list = [];
                list.Add((node, svc.Service));
            }
        }
        return map;
    }
}
