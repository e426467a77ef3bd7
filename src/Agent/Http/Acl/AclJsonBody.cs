using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Http.Acl;

/// <summary>
/// Request bodies as Consul's lib.DecodeJSON reads them: an empty body is "EOF", field names
/// match case-insensitively, and (where Consul disallows them) unknown fields are an error.
/// Failures read "&lt;what&gt; decoding failed: ..." as 400.
/// </summary>
internal static class AclJsonBody
{
    public static async Task<T> ReadAsync<T>(HttpContext ctx, string failure, IReadOnlySet<string>? knownFields) where T : class, new()
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length == 0) throw ApiException.BadRequest($"{failure}: EOF");
        try
        {
            using var doc = JsonDocument.Parse(buffer.ToArray());
            // Go decodes a JSON null into an untouched (empty) value.
            if (doc.RootElement.ValueKind == JsonValueKind.Null) return new T();
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"{failure}: json: cannot unmarshal {GoKind(doc.RootElement)} into Go value of type {typeof(T).Name}");
            if (knownFields is not null)
            {
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    if (!knownFields.Contains(p.Name))
                        throw ApiException.BadRequest($"{failure}: json: unknown field \"{p.Name}\"");
                }
            }
            // Go leaves a field at its zero value when the JSON says null; dropping nulls does the same here.
            JsonNode node;
            try
            {
                node = JsonNode.Parse(doc.RootElement.GetRawText())!;
                DropNulls(node);
            }
            catch (ArgumentException)
            {
                // Duplicate keys (JsonObject refuses them): decode the document as is, the last value winning as in Go.
                return doc.RootElement.Deserialize<T>(ApiJson.Compact) ?? throw ApiException.BadRequest($"{failure}: EOF");
            }
            return node.Deserialize<T>(ApiJson.Compact) ?? throw ApiException.BadRequest($"{failure}: EOF");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"{failure}: {e.Message.Replace('\n', ' ').Replace('\r', ' ')}");
        }
        catch (FormatException e)
        {
            throw ApiException.BadRequest($"{failure}: {e.Message}");
        }
    }

    private static void DropNulls(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (value is null) o.Remove(name);
                    else DropNulls(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a) if (item is not null) DropNulls(item);
                break;
        }
    }

    public static HashSet<string> Fields(params string[] names) => new(names, StringComparer.OrdinalIgnoreCase);

    private static string GoKind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };
}
