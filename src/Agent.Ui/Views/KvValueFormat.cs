using System.Text;
using System.Text.Json;

namespace Consul.Ui.Views;

/// <summary>How the KV editor shows a value.</summary>
public enum KvViewMode { Text, Json, Base64 }

/// <summary>Conversions between a KV value's bytes and what the editor shows.</summary>
public static class KvValueFormat
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static bool IsUtf8(byte[]? value)
    {
        if (value is null) return true;
        try { StrictUtf8.GetString(value); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    /// <summary>The view a value opens in: JSON if it parses as an object or array, text if UTF-8, else base64.</summary>
    public static KvViewMode Suggest(byte[]? value)
    {
        if (!IsUtf8(value)) return KvViewMode.Base64;
        var text = Encoding.UTF8.GetString(value ?? []).TrimStart();
        return (text.StartsWith('{') || text.StartsWith('[')) && TryPrettyJson(text, out _, out _) ? KvViewMode.Json : KvViewMode.Text;
    }

    public static string Show(byte[]? value, KvViewMode mode) => mode switch
    {
        KvViewMode.Base64 => Convert.ToBase64String(value ?? []),
        KvViewMode.Json => TryPrettyJson(Encoding.UTF8.GetString(value ?? []), out var pretty, out _) ? pretty : Encoding.UTF8.GetString(value ?? []),
        _ => Encoding.UTF8.GetString(value ?? []),
    };

    /// <summary>Turns what the user typed back into bytes; an error says why it cannot be saved.</summary>
    public static bool TryParse(string shown, KvViewMode mode, out byte[] value, out string? error)
    {
        error = null;
        value = [];
        switch (mode)
        {
            case KvViewMode.Base64:
                try { value = Convert.FromBase64String(shown.Trim()); return true; }
                catch (FormatException) { error = "Not valid base64."; return false; }
            case KvViewMode.Json:
                if (!TryPrettyJson(shown, out _, out var jsonError)) { error = $"Not valid JSON: {jsonError}"; return false; }
                value = Encoding.UTF8.GetBytes(shown);
                return true;
            default:
                value = Encoding.UTF8.GetBytes(shown);
                return true;
        }
    }

    public static bool TryPrettyJson(string text, out string pretty, out string? error)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            pretty = JsonSerializer.Serialize(doc.RootElement, Indented);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            pretty = text;
            error = e.Message;
            return false;
        }
    }
}
