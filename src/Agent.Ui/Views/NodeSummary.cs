using Consul.Core.Cluster;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>A row of the nodes list.</summary>
/// <param name="SerfHealth">Status of the node's serfHealth check, "" when it has none.</param>
/// <param name="Member">Gossip status (alive, failed, left...), "" when the node is not a LAN member.</param>
public sealed record NodeSummary(Node Node, string SerfHealth, string Member, int Services, HealthCounts Checks)
{
    public const string SerfHealthCheckId = "serfHealth";

    /// <summary>Worst check on the node.</summary>
    public string Status => Checks.Critical > 0 ? HealthStatus.Critical : Checks.Warning > 0 ? HealthStatus.Warning : HealthStatus.Passing;

    public static IReadOnlyList<NodeSummary> All(StateSnapshot snap, IClusterView cluster)
    {
        var members = cluster.LanMembers().ToDictionary(m => m.Name, m => m.StatusText, StringComparer.OrdinalIgnoreCase);
        return snap.Nodes.Values.Select(n => Of(snap, n, members.GetValueOrDefault(n.Name, ""))).ToList();
    }

    public static NodeSummary Of(StateSnapshot snap, Node node, string member)
    {
        var checks = snap.ChecksOn(node.Name).ToList();
        var serf = checks.FirstOrDefault(c => c.CheckID == SerfHealthCheckId)?.Status ?? "";
        return new NodeSummary(node, serf, member, snap.ServicesOn(node.Name).Count(), HealthCounts.Of(checks.Select(c => c.Status)));
    }
}
