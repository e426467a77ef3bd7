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
            throw new FormatException(GoJsonErrors.Translate(ShortMessage(e), InsideArray(text, e), text));
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

    /// <summary>Whether the error position is inside an array (Go words "after array element" differently).</summary>
    private static bool InsideArray(string text, JsonException e)
    {
        var lines = text.Split('\n');
        var line = (int)(e.LineNumber ?? 0);
        if (line >= lines.Length) return false;
        var offset = lines.Take(line).Sum(l => l.Length + 1) + (int)Math.Min(e.BytePositionInLine ?? 0, lines[line].Length);
        var depth = new Stack<char>();
        var inString = false;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            var ch = text[i];
            if (inString)
            {
                if (ch == '\\') i++;
                else if (ch == '"') inString = false;
                continue;
            }
            if (ch == '"') inString = true;
            else if (ch is '[' or '{') depth.Push(ch);
            else if (ch is ']' or '}' && depth.Count > 0) depth.Pop();
        }
        return depth.Count > 0 && depth.Peek() == '[';
    }

    private static string ShortMessage(JsonException e)
    {
        var msg = e.Message;
        var cut = msg.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? msg[..cut] : msg;
    }
}
