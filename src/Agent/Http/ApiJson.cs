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

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            WriteIndented = indented,
            IndentCharacter = ' ',
            IndentSize = 4,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = JsonTypeInfoResolver.Combine(ApiJsonContext.Default, new DefaultJsonTypeInfoResolver()),
            ReadCommentHandling = JsonCommentHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.MakeReadOnly();
        return o;
    }
}
