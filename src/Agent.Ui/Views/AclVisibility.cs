using Consul.Core.Acl;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>Items a viewer may see, and whether ACLs hid any (Consul's X-Consul-Results-Filtered-By-ACLs).</summary>
public sealed record Visible<T>(IReadOnlyList<T> Items, bool Filtered)
{
    public static Visible<T> Of(IEnumerable<T> all, Func<T, bool> allowed)
    {
        var items = new List<T>();
        var filtered = false;
        foreach (var x in all)
        {
            if (allowed(x)) items.Add(x);
            else filtered = true;
        }
        return new Visible<T>(items, filtered);
    }
}

/// <summary>
/// The API's ACL read rules, applied to what the UI shows (agent/consul/acl.go aclFilter):
/// a service instance needs node:read on its node and service:read on its name; a check the
/// same (node checks only node:read); a key key:read; a user event event:read. Cluster events
/// follow the object they describe; Raft events need operator:read.
/// </summary>
public static class AclVisibility
{
    public static bool CanSeeInstance(Authorizer a, string node, string service) =>
        a.NodeRead(node) && (service == "" || a.ServiceRead(service));

    public static bool CanSeeCheck(Authorizer a, HealthCheck c) =>
        a.NodeRead(c.Node) && (c.ServiceName == "" || a.ServiceRead(c.ServiceName));

    public static bool CanSee(Authorizer a, StateSnapshot snap, ClusterEvent e) => e switch
    {
        MemberJoined m => a.NodeRead(m.Member),
        MemberUpdated m => a.NodeRead(m.Member),
        MemberFailed m => a.NodeRead(m.Member),
        MemberLeft m => a.NodeRead(m.Member),
        MemberReaped m => a.NodeRead(m.Member),
        NodeRegistered n => a.NodeRead(n.Node),
        NodeDeregistered n => a.NodeRead(n.Node),
        ServiceRegistered s => CanSeeInstance(a, s.Node, s.ServiceName),
        ServiceDeregistered s => CanSeeInstance(a, s.Node, s.ServiceName),
        CheckStatusChanged c => a.NodeRead(c.Node) && (c.ServiceID == "" || ServiceNameOf(snap, c) is { } name && a.ServiceRead(name)),
        KVPut k => a.KeyRead(k.Key),
        KVDeleted k => a.KeyRead(k.Key),
        UserEventFired u => a.EventRead(u.Name),
        // Leader and peer changes, and any kind added later: operators only.
        _ => a.OperatorRead(),
    };

    /// <summary>The events of a batch this viewer may see, in order.</summary>
    public static IReadOnlyList<ClusterEvent> Filter(Authorizer a, StateSnapshot snap, IEnumerable<ClusterEvent> events) =>
        events.Where(e => CanSee(a, snap, e)).ToList();

    // The event names the service by ID; its name comes from the check or the registration.
    // A service already gone has no name to authorize against, so the event stays hidden.
    private static string? ServiceNameOf(StateSnapshot snap, CheckStatusChanged c)
    {
        if (snap.Checks.TryGetValue(c.Node, out var checks) && checks.TryGetValue(c.CheckID, out var check) && check.ServiceName != "")
            return check.ServiceName;
        return snap.Services.TryGetValue(c.Node, out var services) && services.TryGetValue(c.ServiceID, out var svc) ? svc.Service : null;
    }
}
