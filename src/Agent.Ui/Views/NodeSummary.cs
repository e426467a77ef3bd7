using Consul.Core.Acl;
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

    /// <summary>Nodes the viewer may read (node:read), counting only the services and checks it may see.</summary>
    public static Visible<NodeSummary> All(StateSnapshot snap, IClusterView cluster, Authorizer authz)
    {
        var members = cluster.LanMembers().ToDictionary(m => m.Name, m => m.StatusText, StringComparer.OrdinalIgnoreCase);
        var nodes = Visible<Node>.Of(snap.Nodes.Values, n => authz.NodeRead(n.Name));
        return new Visible<NodeSummary>(nodes.Items.Select(n => Of(snap, n, members.GetValueOrDefault(n.Name, ""), authz)).ToList(), nodes.Filtered);
    }

    /// <summary>One node's row; the caller has checked node:read.</summary>
    public static NodeSummary Of(StateSnapshot snap, Node node, string member, Authorizer authz)
    {
        var checks = ChecksOn(snap, node.Name, authz).Items;
        var serf = checks.FirstOrDefault(c => c.CheckID == SerfHealthCheckId)?.Status ?? "";
        return new NodeSummary(node, serf, member, ServicesOn(snap, node.Name, authz).Items.Count, HealthCounts.Of(checks.Select(c => c.Status)));
    }

    /// <summary>Services on a node the viewer may see (/v1/catalog/node filters them by service:read).</summary>
    public static Visible<NodeService> ServicesOn(StateSnapshot snap, string node, Authorizer authz) =>
        Visible<NodeService>.Of(snap.ServicesOn(node), s => AclVisibility.CanSeeInstance(authz, node, s.Service));

    public static Visible<HealthCheck> ChecksOn(StateSnapshot snap, string node, Authorizer authz) =>
        Visible<HealthCheck>.Of(snap.ChecksOn(node), c => AclVisibility.CanSeeCheck(authz, c));
}
