using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// PUT /v1/acl/bootstrap: creates the first global-management token once. Afterwards it answers
/// 403 with the reset index; writing that index to &lt;data_dir&gt;/acl-bootstrap-reset allows one
/// more bootstrap (the file is removed as soon as it has been read and matched).
/// </summary>
public static class AclBootstrapEndpoint
{
    public const string ResetFileName = "acl-bootstrap-reset";

    /// <summary>structs.ACLBootstrapNotAllowedErr; the state store refuses with the same words.</summary>
    private const string BootstrapNotAllowed = "ACL bootstrap no longer allowed";

    public static void MapAclBootstrapEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/v1/acl/bootstrap", ["PUT", "POST"], Bootstrap);
    }

    private static async Task Bootstrap(HttpContext ctx, ApiContext api)
    {
        AclHttp.RequireEnabled(api);
        var secret = await ReadBootstrapSecret(ctx);

        var snap = api.Store.Current;
        var resetIndex = 0UL;
        if (snap.AclBootstrapIndex != 0)
        {
            resetIndex = ReadResetFile(api.Config.DataDir);
            if (resetIndex == 0)
                throw new PermissionDeniedException($"{BootstrapNotAllowed} (reset index: {snap.AclBootstrapIndex})");
            if (resetIndex != snap.AclBootstrapIndex)
                throw AclHttp.Rejected($"Invalid bootstrap reset index (specified {resetIndex}, reset index: {snap.AclBootstrapIndex})");
        }
        // Used up whether or not the bootstrap below succeeds, so a snapshot restore cannot re-enable it.
        if (resetIndex != 0) TryDelete(Path.Combine(api.Config.DataDir, ResetFileName));

        bool InUse(string id) => snap.AclTokens.ContainsKey(id) || snap.AclSecrets.ContainsKey(id);
        if (secret != "")
        {
            if (!AclHttp.IsUuid(secret)) throw AclHttp.Rejected("Invalid Token: SecretID - not a valid UUID");
            if (InUse(secret)) throw AclHttp.Rejected("Invalid Token: SecretID is already in use");
        }
        else secret = AclHttp.NewUuid(InUse);

        var token = AclBuiltins.BootstrapToken(AclHttp.NewUuid(InUse), secret, api.Time.GetUtcNow());
        var result = await api.Log.ApplyAsync(new AclCommand { Verb = AclCommand.Bootstrap, Token = token, ResetIndex = resetIndex }, ctx.RequestAborted);
        if (!result.Ok)
        {
            // Lost a race with another bootstrap: same answer as above.
            if (result.Error!.Contains(BootstrapNotAllowed, StringComparison.Ordinal))
                throw new PermissionDeniedException($"{BootstrapNotAllowed} (reset index: {api.Store.Current.AclBootstrapIndex})");
            throw AclHttp.Rejected(result.Error);
        }
        var stored = AclReads.TokenByAccessor(api.Store.Current, token.AccessorID) ?? token;
        await ApiResponses.WriteJson(ctx, api, WithLegacyId(stored));
    }

    /// <summary>The optional body {"BootstrapSecret": "..."} of newer Consul versions.</summary>
    private static async Task<string> ReadBootstrapSecret(HttpContext ctx)
    {
        using var body = await ApiResponses.ReadOptionalJson(ctx);
        if (body is null || body.RootElement.ValueKind == JsonValueKind.Null) return "";
        if (body.RootElement.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest("Request decoding failed: body must be a JSON object");
        foreach (var p in body.RootElement.EnumerateObject())
        {
            if (!p.Name.Equals("BootstrapSecret", StringComparison.OrdinalIgnoreCase)) continue;
            if (p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                throw ApiException.BadRequest("Request decoding failed: json: cannot unmarshal non-string into Go struct field BootstrapRequest.BootstrapSecret of type string");
            return p.Value.GetString() ?? "";
        }
        return "";
    }

    /// <summary>The reset index an operator wrote to the data dir (Consul reads it with %d); 0 when absent or unreadable.</summary>
    public static ulong ReadResetFile(string dataDir)
    {
        if (string.IsNullOrEmpty(dataDir)) return 0;
        try
        {
            var text = File.ReadAllText(Path.Combine(dataDir, ResetFileName)).Trim();
            var digits = new string(text.TakeWhile(char.IsAsciiDigit).ToArray());
            return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Consul only warns when the file cannot be removed.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Consul's aclBootstrapResponse: the deprecated "ID" (the secret) ahead of the token's fields.</summary>
    private static JsonObject WithLegacyId(AclToken token)
    {
        var fields = AclTokenJson.From(token);
        var result = new JsonObject { ["ID"] = token.SecretID };
        foreach (var (name, value) in fields.ToList())
        {
            fields.Remove(name);
            result[name] = value;
        }
        return result;
    }
}
