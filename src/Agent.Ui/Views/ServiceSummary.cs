using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>A row of the services list: one service name across all its instances.</summary>
public sealed record ServiceSummary(string Name, string Kind, IReadOnlyList<string> Tags, int Instances, HealthCounts Health)
{
    /// <summary>Worst state among the instances.</summary>
    public string Status => Health.Critical > 0 ? HealthStatus.Critical : Health.Warning > 0 ? HealthStatus.Warning : HealthStatus.Passing;

    /// <summary>Every service with at least one instance the viewer may see (node:read and service:read).</summary>
    public static Visible<ServiceSummary> All(StateSnapshot snap, Authorizer authz)
    {
        var list = new List<ServiceSummary>();
        var filtered = false;
        foreach (var name in snap.ServiceNodes.Keys)
        {
            var visible = VisibleInstances(snap, name, authz);
            filtered |= visible.Filtered;
            var instances = visible.Items;
            if (instances.Count == 0) continue;
            var tags = instances.SelectMany(i => i.Service.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            list.Add(new ServiceSummary(name, instances[0].Service.Kind ?? "", tags, instances.Count,
                HealthCounts.Of(instances.Select(i => i.AggregateStatus))));
        }
        return new Visible<ServiceSummary>(list, filtered);
    }

    /// <summary>A service's instances (with checks) the viewer may see, as /v1/health/service filters them.</summary>
    public static Visible<ServiceInstance> VisibleInstances(StateSnapshot snap, string name, Authorizer authz) =>
        Visible<ServiceInstance>.Of(CatalogReads.ServiceInstances(snap, name, withChecks: true).Value,
            i => AclVisibility.CanSeeInstance(authz, i.Node.Name, i.Service.Service));

    /// <summary>The services page's search: name or tag contains the text, health and tag match exactly.</summary>
    public static IReadOnlyList<ServiceSummary> Filter(IEnumerable<ServiceSummary> all, string? search, string? health, string? tag) =>
        all.Where(s => string.IsNullOrWhiteSpace(search)
                       || s.Name.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)
                       || s.Tags.Any(t => t.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase)))
           .Where(s => string.IsNullOrEmpty(health) || s.Status == health)
           .Where(s => string.IsNullOrEmpty(tag) || s.Tags.Contains(tag, StringComparer.Ordinal))
           .ToList();
}
