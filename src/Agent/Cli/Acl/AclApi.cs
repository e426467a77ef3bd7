using System.Text.Json.Nodes;

namespace Consul.Agent.Cli.Acl;

/// <summary>
/// The ACL half of github.com/hashicorp/consul/api (acl.go, agent.go token updates): one method
/// per endpoint, same paths and bodies, failures as CliApiException with the Go client's text.
/// </summary>
internal sealed class AclApi(ConsulApiClient client)
{
    private const string Json = "application/json";

    public async Task<AclTokenDto> BootstrapAsync(string bootstrapSecret)
    {
        byte[]? body = bootstrapSecret.Length > 0 ? AclJson.Body(new JsonObject { ["BootstrapSecret"] = bootstrapSecret }) : null;
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/bootstrap", null, body, body is null ? null : Json);
        return AclDecode.Read<AclTokenDto>(resp.Text);
    }

    public async Task<List<AclTokenListEntryDto>?> TokenListAsync() =>
        AclDecode.ReadList<AclTokenListEntryDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/tokens")).Text);

    public async Task<AclTokenDto> TokenReadAsync(string accessorId) =>
        AclDecode.Read<AclTokenDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/token/" + accessorId)).Text);

    public async Task<AclTokenExpandedDto> TokenReadExpandedAsync(string accessorId) =>
        AclDecode.ReadExpanded((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/token/" + accessorId, [new("expanded", "true")])).Text);

    public async Task<AclTokenDto> TokenReadSelfAsync() =>
        AclDecode.Read<AclTokenDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/token/self")).Text);

    public async Task<AclTokenDto> TokenCreateAsync(AclTokenDto token) =>
        AclDecode.Read<AclTokenDto>((await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/token", null, AclJson.Body(AclJson.Token(token)), Json)).Text);

    public async Task<AclTokenDto> TokenUpdateAsync(AclTokenDto token)
    {
        if (token.AccessorID.Length == 0) throw new CliApiException("Must specify an AccessorID for Token Updating");
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/token/" + token.AccessorID, null, AclJson.Body(AclJson.Token(token)), Json);
        return AclDecode.Read<AclTokenDto>(resp.Text);
    }

    public async Task<AclTokenDto> TokenCloneAsync(string accessorId, string description)
    {
        if (accessorId.Length == 0) throw new CliApiException("Must specify a token AccessorID for Token Cloning");
        var body = AclJson.Body(new JsonObject { ["Description"] = description });
        var resp = await client.RequireOkAsync(HttpMethod.Put, $"/v1/acl/token/{accessorId}/clone", null, body, Json);
        return AclDecode.Read<AclTokenDto>(resp.Text);
    }

    public Task TokenDeleteAsync(string accessorId) => client.RequireOkAsync(HttpMethod.Delete, "/v1/acl/token/" + accessorId);

    public async Task<List<AclPolicyDto>?> PolicyListAsync() =>
        AclDecode.ReadList<AclPolicyDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/policies")).Text);

    public async Task<AclPolicyDto> PolicyReadAsync(string id) =>
        AclDecode.Read<AclPolicyDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/policy/" + id)).Text);

    /// <summary>PolicyReadByName: null when the agent answers 404.</summary>
    public Task<AclPolicyDto?> PolicyReadByNameAsync(string name) =>
        ReadOrNullAsync<AclPolicyDto>("/v1/acl/policy/name/" + name);

    public async Task<AclPolicyDto> PolicyCreateAsync(AclPolicyDto policy)
    {
        if (policy.ID.Length > 0) throw new CliApiException("Cannot specify an ID in Policy Creation");
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/policy", null, AclJson.Body(AclJson.Policy(policy)), Json);
        return AclDecode.Read<AclPolicyDto>(resp.Text);
    }

    public async Task<AclPolicyDto> PolicyUpdateAsync(AclPolicyDto policy)
    {
        if (policy.ID.Length == 0) throw new CliApiException("Must specify an ID in Policy Update");
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/policy/" + policy.ID, null, AclJson.Body(AclJson.Policy(policy)), Json);
        return AclDecode.Read<AclPolicyDto>(resp.Text);
    }

    public Task PolicyDeleteAsync(string id) => client.RequireOkAsync(HttpMethod.Delete, "/v1/acl/policy/" + id);

    public async Task<List<AclRoleDto>?> RoleListAsync() =>
        AclDecode.ReadList<AclRoleDto>((await client.RequireOkAsync(HttpMethod.Get, "/v1/acl/roles")).Text);

    /// <summary>RoleRead: null when the agent answers 404.</summary>
    public Task<AclRoleDto?> RoleReadAsync(string id) => ReadOrNullAsync<AclRoleDto>("/v1/acl/role/" + id);

    /// <summary>RoleReadByName: null when the agent answers 404.</summary>
    public Task<AclRoleDto?> RoleReadByNameAsync(string name) => ReadOrNullAsync<AclRoleDto>("/v1/acl/role/name/" + name);

    public async Task<AclRoleDto> RoleCreateAsync(AclRoleDto role)
    {
        if (role.ID.Length > 0) throw new CliApiException("Cannot specify an ID in Role Creation");
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/role", null, AclJson.Body(AclJson.Role(role)), Json);
        return AclDecode.Read<AclRoleDto>(resp.Text);
    }

    public async Task<AclRoleDto> RoleUpdateAsync(AclRoleDto role)
    {
        if (role.ID.Length == 0) throw new CliApiException("Must specify an ID in Role Update");
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/acl/role/" + role.ID, null, AclJson.Body(AclJson.Role(role)), Json);
        return AclDecode.Read<AclRoleDto>(resp.Text);
    }

    public Task RoleDeleteAsync(string id) => client.RequireOkAsync(HttpMethod.Delete, "/v1/acl/role/" + id);

    /// <summary>Agent().Update*Token: PUT /v1/agent/token/&lt;type&gt; with {"Token": ...}.</summary>
    public Task SetAgentTokenAsync(string type, string token) =>
        client.RequireOkAsync(HttpMethod.Put, "/v1/agent/token/" + type, null, AclJson.Body(new JsonObject { ["Token"] = token }), Json);

    // requireNotFoundOrOK: 404 means "no such object", any other non-200 is an error.
    private async Task<T?> ReadOrNullAsync<T>(string path) where T : class, new()
    {
        var resp = await client.SendAsync(HttpMethod.Get, path);
        if (resp.StatusCode == 404) return null;
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        return AclDecode.Read<T>(resp.Text);
    }
}
