using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Acl;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// A token (or token list stub) as the API shows it: the model's JSON with times in Go's RFC 3339 form ("2026-01-02T03:04:05.123Z", not "+00:00").
/// </summary>
public static class AclTokenJson
{
    private static readonly string[] TimeFields = ["CreateTime", "ExpirationTime"];

    internal static JsonObject From(AclToken token) => Shape(JsonSerializer.SerializeToNode(token, ApiJson.Compact)!.AsObject());

    internal static JsonArray From(IEnumerable<AclTokenListStub> stubs) =>
        new(stubs.Select(s => (JsonNode)Shape(JsonSerializer.SerializeToNode(s, ApiJson.Compact)!.AsObject())).ToArray());

    private static JsonObject Shape(JsonObject json)
    {
        foreach (var name in TimeFields)
        {
            if (json[name] is JsonValue v && v.TryGetValue<DateTimeOffset>(out var t)) json[name] = GoTime(t);
        }
        return json;
    }

    /// <summary>Go's time.Time JSON (RFC 3339 with trailing fractional zeros dropped), in UTC.</summary>
    public static string GoTime(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
