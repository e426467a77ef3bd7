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

    public Task<List<AclTokenListEntryDto>?> TokenListAsync() => GetListAsync<AclTokenListEntryDto>("/v1/acl/tokens");

    public Task<AclTokenDto> TokenReadAsync(string accessorId) => GetAsync<AclTokenDto>("/v1/acl/token/" + accessorId);

    public async Task<AclTokenExpandedDto> TokenReadExpandedAsync(string accessorId) =>
        AclDecode.ReadExpanded(await GetTextAsync("/v1/acl/token/" + accessorId, [new("expanded", "true")]));

    public Task<AclTokenDto> TokenReadSelfAsync() => GetAsync<AclTokenDto>("/v1/acl/token/self");

    public Task<AclTokenDto> TokenCreateAsync(AclTokenDto token) => PutAsync<AclTokenDto>("/v1/acl/token", AclJson.Token(token));

    public async Task<AclTokenDto> TokenUpdateAsync(AclTokenDto token)
    {
        if (token.AccessorID.Length == 0) throw new CliApiException("Must specify an AccessorID for Token Updating");
        return await PutAsync<AclTokenDto>("/v1/acl/token/" + token.AccessorID, AclJson.Token(token));
    }

    public async Task<AclTokenDto> TokenCloneAsync(string accessorId, string description)
    {
        if (accessorId.Length == 0) throw new CliApiException("Must specify a token AccessorID for Token Cloning");
        return await PutAsync<AclTokenDto>($"/v1/acl/token/{accessorId}/clone", new JsonObject { ["Description"] = description });
    }

    public Task TokenDeleteAsync(string accessorId) => DeleteAsync("/v1/acl/token/" + accessorId);

    public Task<List<AclPolicyDto>?> PolicyListAsync() => GetListAsync<AclPolicyDto>("/v1/acl/policies");

    public Task<AclPolicyDto> PolicyReadAsync(string id) => GetAsync<AclPolicyDto>("/v1/acl/policy/" + id);

    /// <summary>PolicyReadByName: null when the agent answers 404.</summary>
    public Task<AclPolicyDto?> PolicyReadByNameAsync(string name) => ReadOrNullAsync<AclPolicyDto>("/v1/acl/policy/name/" + name);

    public async Task<AclPolicyDto> PolicyCreateAsync(AclPolicyDto policy)
    {
        if (policy.ID.Length > 0) throw new CliApiException("Cannot specify an ID in Policy Creation");
        return await PutAsync<AclPolicyDto>("/v1/acl/policy", AclJson.Policy(policy));
    }

    public async Task<AclPolicyDto> PolicyUpdateAsync(AclPolicyDto policy)
    {
        if (policy.ID.Length == 0) throw new CliApiException("Must specify an ID in Policy Update");
        return await PutAsync<AclPolicyDto>("/v1/acl/policy/" + policy.ID, AclJson.Policy(policy));
    }

    public Task PolicyDeleteAsync(string id) => DeleteAsync("/v1/acl/policy/" + id);

    public Task<List<AclRoleDto>?> RoleListAsync() => GetListAsync<AclRoleDto>("/v1/acl/roles");

    /// <summary>RoleRead: null when the agent answers 404.</summary>
    public Task<AclRoleDto?> RoleReadAsync(string id) => ReadOrNullAsync<AclRoleDto>("/v1/acl/role/" + id);

    /// <summary>RoleReadByName: null when the agent answers 404.</summary>
    public Task<AclRoleDto?> RoleReadByNameAsync(string name) => ReadOrNullAsync<AclRoleDto>("/v1/acl/role/name/" + name);

    public async Task<AclRoleDto> RoleCreateAsync(AclRoleDto role)
    {
        if (role.ID.Length > 0) throw new CliApiException("Cannot specify an ID in Role Creation");
        return await PutAsync<AclRoleDto>("/v1/acl/role", AclJson.Role(role));
    }

    public async Task<AclRoleDto> RoleUpdateAsync(AclRoleDto role)
    {
        if (role.ID.Length == 0) throw new CliApiException("Must specify an ID in Role Update");
        return await PutAsync<AclRoleDto>("/v1/acl/role/" + role.ID, AclJson.Role(role));
    }

    public Task RoleDeleteAsync(string id) => DeleteAsync("/v1/acl/role/" + id);

    /// <summary>Agent().Update*Token: PUT /v1/agent/token/&lt;type&gt; with {"Token": ...}.</summary>
    public Task SetAgentTokenAsync(string type, string token) => PutTextAsync("/v1/agent/token/" + type, new JsonObject { ["Token"] = token });

    private async Task<string> GetTextAsync(string path, IEnumerable<KeyValuePair<string, string>>? query = null) =>
        (await client.RequireOkAsync(HttpMethod.Get, path, query)).Text;

    private async Task<T> GetAsync<T>(string path) where T : new() => AclDecode.Read<T>(await GetTextAsync(path));

    private async Task<List<T>?> GetListAsync<T>(string path) => AclDecode.ReadList<T>(await GetTextAsync(path));

    /// <summary>A PUT with a JSON body encoded as the api client does.</summary>
    private async Task<string> PutTextAsync(string path, JsonNode body) =>
        (await client.RequireOkAsync(HttpMethod.Put, path, null, AclJson.Body(body), Json)).Text;

    private async Task<T> PutAsync<T>(string path, JsonNode body) where T : new() => AclDecode.Read<T>(await PutTextAsync(path, body));

    private Task DeleteAsync(string path) => client.RequireOkAsync(HttpMethod.Delete, path);

    // requireNotFoundOrOK: 404 means "no such object", any other non-200 is an error.
    private async Task<T?> ReadOrNullAsync<T>(string path) where T : class, new()
    {
        var resp = await client.SendAsync(HttpMethod.Get, path);
        if (resp.StatusCode == 404) return null;
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        return AclDecode.Read<T>(resp.Text);
    }
}
