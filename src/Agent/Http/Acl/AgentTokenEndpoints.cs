using System.Text.Json;
using Consul.Agent.Acl;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// PUT /v1/agent/token/:kind {"Token": "..."}: replaces one of the agent's own tokens at run time
/// (persisted when acl.enable_token_persistence is on). Needs agent:write on this node.
/// </summary>
public static class AgentTokenEndpoints
{
    /// <summary>URL names Consul accepts, current and legacy, mapped to the token kinds.</summary>
    public static readonly IReadOnlyDictionary<string, string> KindsByName = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["default"] = AgentTokens.DefaultKind,
        ["acl_token"] = AgentTokens.DefaultKind,
        ["agent"] = AgentTokens.AgentKind,
        ["acl_agent_token"] = AgentTokens.AgentKind,
        ["agent_recovery"] = AgentTokens.AgentRecoveryKind,
        ["agent_master"] = AgentTokens.AgentRecoveryKind,
        ["acl_agent_master_token"] = AgentTokens.AgentRecoveryKind,
        ["replication"] = AgentTokens.ReplicationKind,
        ["acl_replication_token"] = AgentTokens.ReplicationKind,
        ["config_file_service_registration"] = AgentTokens.ConfigFileRegistrationKind,
        ["dns"] = AgentTokens.DnsKind,
        ["dns_token"] = AgentTokens.DnsKind,
    };

    public static void MapAgentTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/agent/token/{**kind}", SetToken);
    }

    private static async Task SetToken(HttpContext ctx, ApiContext api, string? kind)
    {
        AclHttp.RequireEnabled(api);
        Consul.Core.Acl.Authorizer.Require(api.Acl.ForRequest(ctx).AgentWriteAllowed(api.Config.NodeName));
        var token = await ReadToken(ctx);
        kind ??= "";
        if (!KindsByName.TryGetValue(kind, out var target)) throw ApiException.NotFound($"Token \"{kind}\" is unknown");

        if (TokenPersistence.Of(api.Acl.Tokens) is { } persistence) persistence.SetFromApi(target, token);
        else api.Acl.Tokens.Set(target, token);
        ctx.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The body is api.AgentToken; unknown fields are ignored, an empty body is "EOF".</summary>
    private static async Task<string> ReadToken(HttpContext ctx)
    {
        using var body = await ApiResponses.ReadOptionalJson(ctx);
        if (body is null) throw ApiException.BadRequest("Request decode failed: EOF");
        var root = body.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return "";
        if (root.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest("Request decode failed: json: cannot unmarshal non-object into Go value of type api.AgentToken");
        foreach (var p in root.EnumerateObject())
        {
            if (!p.Name.Equals("Token", StringComparison.OrdinalIgnoreCase)) continue;
            return p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Null => "",
                _ => throw ApiException.BadRequest("Request decode failed: json: cannot unmarshal non-string into Go struct field AgentToken.Token of type string"),
            };
        }
        return "";
    }
}
