using Consul.Core.Acl;
using Consul.Core.Model;

namespace Consul.Agent.Http;

/// <summary>
/// Consul's read-side ACL filtering (agent/consul/acl.go aclFilter): what a token may see of
/// nodes, services, checks, sessions and keys, and the X-Consul-Results-Filtered-By-ACLs
/// header. Every filter returns the kept items and whether anything was removed.
/// </summary>
public static class AclFilters
{
    public const string FilteredHeader = "X-Consul-Results-Filtered-By-ACLs";

    /// <summary>The request's authorizer (manage-all while ACLs are disabled).</summary>
    public static Authorizer Authz(HttpContext ctx, ApiContext api) => api.Acl.ForRequest(ctx);

    /// <summary>
    /// Sets the filtered header when something was removed, but only for an authenticated
    /// caller: a token on the request or the agent's default token (Consul's
    /// maskResultsFilteredByACLs), so anonymous callers cannot probe for hidden data.
    /// </summary>
    public static void MarkFiltered(HttpContext ctx, ApiContext api, bool removed)
    {
        if (!removed) return;
        if (QueryOptions.ParseToken(ctx.Request) == "" && api.Acl.Tokens.Default == "") return;
        ctx.Response.Headers[FilteredHeader] = "true";
    }

    /// <summary>An empty service name (node-level check) is always allowed, as Consul's allowService.</summary>
    public static bool AllowService(Authorizer a, string service) => service == "" || a.ServiceRead(service);

    /// <summary>Keeps the items the predicate allows; removed tells whether any were dropped.</summary>
    public static List<T> Keep<T>(IEnumerable<T> items, Func<T, bool> allowed, out bool removed)
    {
        var kept = new List<T>();
        removed = false;
        foreach (var item in items)
        {
            if (allowed(item)) kept.Add(item);
            else removed = true;
        }
        return kept;
    }

    /// <summary>Keeps the dictionary entries the predicate allows.</summary>
    public static Dictionary<string, T> Keep<T>(Dictionary<string, T> items, Func<T, bool> allowed, out bool removed)
    {
        var kept = new Dictionary<string, T>(StringComparer.Ordinal);
        removed = false;
        foreach (var (key, value) in items)
        {
            if (allowed(value)) kept[key] = value;
            else removed = true;
        }
        return kept;
    }

    /// <summary>filterHealthChecks: node:read on the check's node and service:read on its service.</summary>
    public static bool CanReadCheck(Authorizer a, HealthCheck c) => a.NodeRead(c.Node) && AllowService(a, c.ServiceName);

    /// <summary>filterCheckServiceNodes / filterServiceNodes: node:read and service:read.</summary>
    public static bool CanReadInstance(Authorizer a, Node node, NodeService service) =>
        a.NodeRead(node.Name) && AllowService(a, service.Service);

    /// <summary>filterDirEnt: key:read on each entry.</summary>
    public static List<KVEntry> Entries(Authorizer a, IEnumerable<KVEntry> entries, out bool removed) =>
        Keep(entries, e => a.KeyRead(e.Key), out removed);

    /// <summary>filterSessions: session:read on the session's node.</summary>
    public static List<Session> Sessions(Authorizer a, IEnumerable<Session> sessions, out bool removed) =>
        Keep(sessions, s => a.SessionRead(s.Node), out removed);
}
