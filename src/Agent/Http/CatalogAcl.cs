using Consul.Core.Acl;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>
/// Consul's ACL vetting of catalog writes (servicePreApply, vetRegisterWithACL,
/// vetDeregisterWithACL in agent/consul/catalog_endpoint.go), in Consul's order.
/// </summary>
public static class CatalogAcl
{
    /// <summary>The reserved service name servicePreApply exempts from its first check.</summary>
    public const string ConsulServiceName = "consul";

    public static void VetRegister(Authorizer authz, StateSnapshot s, CatalogRegisterRequest body, string datacenter,
        NodeService? service, IReadOnlyList<HealthCheck> checks)
    {
        var nodeName = body.Node!;
        // servicePreApply.
        if (service is not null && service.Service != ConsulServiceName)
            Authorizer.Require(authz.ServiceWriteAllowed(service.Service));

        s.Nodes.TryGetValue(nodeName, out var node);
        var existing = node is null ? null : s.Services.GetValueOrDefault(nodeName);

        // Re-posting unchanged node info (as service updates do) needs no node:write.
        if (node is null || ChangesNode(body, node, datacenter))
            Authorizer.Require(authz.NodeWriteAllowed(nodeName));

        if (service is not null)
        {
            Authorizer.Require(authz.ServiceWriteAllowed(service.Service));
            // Overwriting another service by ID is a delete of it: Consul answers the bare error.
            if (existing is not null && existing.TryGetValue(service.ID, out var other) && !authz.ServiceWrite(other.Service))
                throw new ApiException(StatusCodes.Status403Forbidden, AclErrors.PermissionDenied);
        }

        foreach (var check in checks)
        {
            if (check.ServiceID == "")
            {
                Authorizer.Require(authz.NodeWriteAllowed(nodeName));
                continue;
            }
            if (service is not null && service.ID == check.ServiceID) continue;
            if (existing is null || !existing.TryGetValue(check.ServiceID, out var owner))
                throw ApiException.BadRequest($"Unknown service ID '{check.ServiceID}' for check ID '{check.CheckID}'");
            Authorizer.Require(authz.ServiceWriteAllowed(owner.Service));
        }
    }

    public static void VetDeregister(Authorizer authz, StateSnapshot s, CatalogDeregisterRequest body)
    {
        var nodeName = body.Node!;
        // node:write allows removing anything on the node, even services the token cannot write.
        var nodeWrite = authz.NodeWriteAllowed(nodeName);
        if (nodeWrite is null) return;
        if (!string.IsNullOrEmpty(body.ServiceID))
        {
            var service = s.Services.GetValueOrDefault(nodeName)?.GetValueOrDefault(body.ServiceID)
                ?? throw ApiException.BadRequest($"Unknown service ID '{body.ServiceID}'");
            Authorizer.Require(authz.ServiceWriteAllowed(service.Service));
        }
        else if (!string.IsNullOrEmpty(body.CheckID))
        {
            var check = s.Checks.GetValueOrDefault(nodeName)?.GetValueOrDefault(body.CheckID)
                ?? throw ApiException.BadRequest($"Unknown check ID '{body.CheckID}'");
            Authorizer.Require(check.ServiceID != "" ? authz.ServiceWriteAllowed(check.ServiceName) : nodeWrite);
        }
        else
        {
            throw nodeWrite;
        }
    }

    /// <summary>RegisterRequest.ChangesNode: does the request alter the stored node?</summary>
    private static bool ChangesNode(CatalogRegisterRequest body, Node node, string datacenter)
    {
        if (body.SkipNodeUpdate) return false;
        return (body.ID ?? "") != node.ID
            || !string.Equals(body.Node, node.Name, StringComparison.OrdinalIgnoreCase)
            || (body.Address ?? "") != node.Address
            || datacenter != node.Datacenter
            || !SameMap(body.TaggedAddresses, node.TaggedAddresses)
            || !SameMap(body.NodeMeta, node.Meta);
    }

    private static bool SameMap(Dictionary<string, string>? a, Dictionary<string, string> b)
    {
        a ??= [];
        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }
}
