using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

/// <summary>With ACLs off every ACL endpoint answers Consul's 401 "ACL support disabled".</summary>
public sealed class AclDisabledTests(SharedAgentHost shared) : IClassFixture<SharedAgentHost>
{
    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "PUT", "/v1/acl/bootstrap", null },
        { "PUT", "/v1/acl/token", "{}" },
        { "GET", "/v1/acl/token/self", null },
        { "GET", "/v1/acl/token/00000000-0000-0000-0000-000000000002", null },
        { "PUT", "/v1/acl/token/00000000-0000-0000-0000-000000000002/clone", "{}" },
        { "DELETE", "/v1/acl/token/6a1253d2-1785-24fd-91c2-f8e78c745511", null },
        { "GET", "/v1/acl/tokens", null },
        { "PUT", "/v1/acl/policy", """{"Name":"x"}""" },
        { "GET", "/v1/acl/policy/00000000-0000-0000-0000-000000000001", null },
        { "GET", "/v1/acl/policy/name/global-management", null },
        { "GET", "/v1/acl/policies", null },
        { "PUT", "/v1/acl/role", """{"Name":"x"}""" },
        { "GET", "/v1/acl/role/name/x", null },
        { "GET", "/v1/acl/roles", null },
        { "PUT", "/v1/agent/token/default", """{"Token":"x"}""" },
    };

    [Theory(Timeout = 10_000)]
    [MemberData(nameof(Endpoints))]
    public async Task Every_acl_endpoint_answers_401(string method, string url, string? body)
    {
        var r = await shared.Host.Send(new HttpMethod(method), url, body);
        await AgentTestHost.AssertError(r, 401, "ACL support disabled");
    }
}
