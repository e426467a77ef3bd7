using System.Text.Json;

namespace Consul.Core.Acl;

/// <summary>Reads JSON-form rules into the same tree as HCL (HCL v1 accepts both).</summary>
internal static class JsonRulesReader
{
    public static HclObject Read(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            int line = (int)(ex.LineNumber ?? 0) + 1;
            int col = (int)(ex.BytePositionInLine ?? 0) + 1;
            throw new AclRulesSyntaxException(line, col, "invalid JSON: " + FirstSentence(ex.Message));
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new AclRulesSyntaxException(1, 1, "JSON rules must be an object");
            return (HclObject)Convert(doc.RootElement);
        }
    }

    private static HclValue Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new HclObject(
            e.EnumerateObject().Select(p => new HclEntry(p.Name, Convert(p.Value), 0, 0)).ToList(), 0, 0),
        JsonValueKind.Array => new HclList(e.EnumerateArray().Select(Convert).ToList(), 0, 0),
        JsonValueKind.String => new HclString(e.GetString() ?? "", 0, 0),
        _ => new HclScalar(e.GetRawText(), 0, 0),
    };

    private static string FirstSentence(string message)
    {
        int dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message.TrimEnd('.');
    }
}
