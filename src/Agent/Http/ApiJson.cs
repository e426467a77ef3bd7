using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Consul.Agent.Http;

/// <summary>
/// JSON as Consul speaks it: PascalCase names as declared, case-insensitive on input
/// (Go's encoding/json matches field names that way), compact unless ?pretty.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Compact = Create(indented: false);
    public static readonly JsonSerializerOptions Pretty = Create(indented: true);

    /// <summary>
    /// For decoding model records straight from request bodies: reflection only, because the source
    /// generator sets every init-only property it did not find in the JSON to null, wiping the
    /// records' "" defaults (a txn check without Notes would be stored with "Notes": null).
    /// </summary>
    public static readonly JsonSerializerOptions ModelInput = Create(indented: false, generated: false);

    private static JsonSerializerOptions Create(bool indented, bool generated = true)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            WriteIndented = indented,
            IndentCharacter = ' ',
            IndentSize = 4,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = generated
                ? JsonTypeInfoResolver.Combine(ApiJsonContext.Default, new DefaultJsonTypeInfoResolver())
                : new DefaultJsonTypeInfoResolver(),
            ReadCommentHandling = JsonCommentHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.MakeReadOnly();
        return o;
    }
}
