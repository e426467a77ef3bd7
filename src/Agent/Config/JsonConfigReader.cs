using System.Text.Json;

namespace Consul.Agent.Config;

/// <summary>Parses JSON config text into the plain object tree the decoder works on.</summary>
internal static class JsonConfigReader
{
    /// <summary>Returns the top-level object; throws <see cref="FormatException"/> with the parse error.</summary>
    public static Dictionary<string, object?> Parse(string text)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new FormatException(ShortMessage(e));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new FormatException($"json: cannot unmarshal {GoJsonKind(doc.RootElement.ValueKind)} into Go value of type map[string]interface {{}}");
            return (Dictionary<string, object?>)Convert(doc.RootElement)!;
        }
    }

    private static object? Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(e),
        JsonValueKind.Array => e.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static Dictionary<string, object?> ConvertObject(JsonElement e)
    {
        // Duplicate keys: the last one wins, as with Go's encoding/json.
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) d[p.Name] = Convert(p.Value);
        return d;
    }

    private static string GoJsonKind(JsonValueKind k) => k switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static string ShortMessage(JsonException e)
    {
        var msg = e.Message;
        var cut = msg.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? msg[..cut] : msg;
    }
}
