using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>
/// Consul's Txn.preCheck ACL part and FilterTxnResults (agent/consul/txn_endpoint.go,
/// acl.go): write operations are vetted against what they would change in the state,
/// results the token may not read are dropped.
/// </summary>
public static class TxnAcl
{
    /// <summary>The permission error for one operation, or null when allowed.</summary>
    public static string? Vet(Authorizer authz, StateSnapshot s, TxnOp op) => op switch
    {
        { KV: { } kv } => VetKv(authz, kv)?.Message,
        { Node: { } n } when n.Verb != "get" => VetNode(authz, s, n.Node),
        { Service: { } sv } when sv.Verb != "get" => VetService(authz, s, sv),
        { Check: { } c } when c.Verb != "get" => VetCheck(authz, s, c.Check),
        _ => null,
    };

    /// <summary>kvsPreApply: gets are filtered afterwards, checks of index/session need read, the rest write.</summary>
    private static PermissionDeniedException? VetKv(Authorizer authz, TxnKVOp kv) => kv.Verb switch
    {
        "delete-tree" => authz.KeyWritePrefixAllowed(kv.Key),
        "get" or "get-tree" => null,
        "check-session" or "check-index" => authz.KeyReadAllowed(kv.Key),
        _ => authz.KeyWriteAllowed(kv.Key),
    };

    /// <summary>A node op changes the node its ID names: write on that node, and on the new name when renaming.</summary>
    private static string? VetNode(Authorizer authz, StateSnapshot s, Node node)
    {
        var existing = string.IsNullOrEmpty(node.ID) ? null : s.Nodes.Values.FirstOrDefault(n => string.Equals(n.ID, node.ID, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            if (authz.NodeWriteAllowed(existing.Name) is { } denied) return denied.Message;
            if (!string.Equals(existing.Name, node.Name, StringComparison.OrdinalIgnoreCase))
                return authz.NodeWriteAllowed(node.Name ?? "")?.Message;
            return null;
        }
        return authz.NodeWriteAllowed(node.Name ?? "")?.Message;
    }

    /// <summary>A service op changes the service its ID names on the node; the name must stay and be writable.</summary>
    private static string? VetService(Authorizer authz, StateSnapshot s, TxnServiceOp op)
    {
        var id = string.IsNullOrEmpty(op.Service.ID) ? op.Service.Service ?? "" : op.Service.ID;
        var existing = string.IsNullOrEmpty(op.Node) ? null : s.Services.GetValueOrDefault(op.Node)?.GetValueOrDefault(id);
        if (existing is not null && existing.Service != op.Service.Service)
            return $"service name does not match existing service name for service ID \"{id}\" on node \"{op.Node}\"";
        return authz.ServiceWriteAllowed(op.Service.Service ?? "")?.Message;
    }

    /// <summary>A check op is judged by the stored check's binding when it exists, else the request's.</summary>
    /// <remarks>TxnEndpoints fills null names, but a body may still send null for others (Name), so lookups stay null-safe.</remarks>
    private static string? VetCheck(Authorizer authz, StateSnapshot s, HealthCheck check)
    {
        var checkId = (string.IsNullOrEmpty(check.CheckID) ? check.Name : check.CheckID) ?? "";
        var node = check.Node ?? "";
        var target = s.Checks.GetValueOrDefault(node)?.GetValueOrDefault(checkId) ?? check;
        if (string.IsNullOrEmpty(target.ServiceID)) return authz.NodeWriteAllowed(target.Node ?? "")?.Message;
        var owner = s.Services.GetValueOrDefault(target.Node ?? "")?.GetValueOrDefault(target.ServiceID);
        // Consul's vetCheckTxnOp judges a service check by the service's name (the stored service's, else
        // the request's, which may be empty when the service is created in the same transaction).
        var serviceName = owner?.Service ?? target.ServiceName ?? "";
        return authz.ServiceWriteAllowed(serviceName)?.Message;
    }

    /// <summary>filterTxnResult: keys by key:read, nodes by node:read, services by service:read, checks by their service or node.</summary>
    public static bool CanRead(Authorizer authz, TxnResult r) => r switch
    {
        { KV: { } kv } => authz.KeyRead(kv.Key),
        { Node: { } n } => authz.NodeRead(n.Name ?? ""),
        { Service: { } sv } => authz.ServiceRead(sv.Service ?? ""),
        { Check: { } c } => !string.IsNullOrEmpty(c.ServiceName) ? authz.ServiceRead(c.ServiceName) : authz.NodeRead(c.Node ?? ""),
        _ => true,
    };
}
