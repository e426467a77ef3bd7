using Consul.Agent.Http.Acl;

// In Consul.Agent.Http so the host maps it alongside the other route groups.
namespace Consul.Agent.Http;

/// <summary>Every ACL route: /v1/acl/* and /v1/agent/token/*.</summary>
public static class AclEndpoints
{
    public static void MapAclEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapAclBootstrapEndpoint();
        app.MapAclTokenEndpoints();
        app.MapAclPolicyEndpoints();
        app.MapAclRoleEndpoints();
        app.MapAgentTokenEndpoints();
    }
}
