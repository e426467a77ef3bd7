using Consul.Core.Acl;
using Consul.Core.Local;
using Consul.Core.Model;

namespace Consul.Agent.Http;

/// <summary>
/// Consul's ACL vetting of agent-local registrations (agent/acl.go: vetServiceRegister,
/// vetServiceUpdate, vetCheckRegister, vetCheckUpdate, filterServices, filterChecks).
/// Unknown IDs are left to the registrar, which answers them with 404 either way.
/// </summary>
public static class AgentAcl
{
    /// <summary>service:write on the service, and on the service it replaces (same ID).</summary>
    public static void VetServiceRegister(Authorizer authz, LocalState local, ServiceDefinition def)
    {
        Authorizer.Require(authz.ServiceWriteAllowed(def.Name ?? ""));
        if (local.Service(def.EffectiveID) is { } existing)
            Authorizer.Require(authz.ServiceWriteAllowed(existing.Service.Service));
    }

    /// <summary>service:write on the existing service (deregister, maintenance).</summary>
    public static void VetServiceUpdate(Authorizer authz, LocalState local, string serviceId)
    {
        if (local.Service(serviceId) is { } existing)
            Authorizer.Require(authz.ServiceWriteAllowed(existing.Service.Service));
    }

    /// <summary>A service check needs service:write on its service, a node check node:write; likewise for a check it replaces.</summary>
    public static void VetCheckRegister(Authorizer authz, LocalState local, string nodeName, string checkId, string serviceName)
    {
        Authorizer.Require(CheckWrite(authz, nodeName, serviceName));
        if (local.Check(checkId) is { } existing)
            Authorizer.Require(CheckWrite(authz, nodeName, existing.Check.ServiceName));
    }

    /// <summary>Write on what the existing check belongs to (deregister, TTL updates).</summary>
    public static void VetCheckUpdate(Authorizer authz, LocalState local, string nodeName, string checkId)
    {
        if (local.Check(checkId) is { } existing)
            Authorizer.Require(CheckWrite(authz, nodeName, existing.Check.ServiceName));
    }

    private static PermissionDeniedException? CheckWrite(Authorizer authz, string nodeName, string serviceName) =>
        serviceName != "" ? authz.ServiceWriteAllowed(serviceName) : authz.NodeWriteAllowed(nodeName);

    /// <summary>filterChecksWithAuthorizer: service checks by service:read, node checks by node:read on this agent.</summary>
    public static bool CanReadCheck(Authorizer authz, string nodeName, HealthCheck c) =>
        c.ServiceName != "" ? authz.ServiceRead(c.ServiceName) : authz.NodeRead(nodeName);
}
