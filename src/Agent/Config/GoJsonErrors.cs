using System.Text.RegularExpressions;

namespace Consul.Agent.Config;

/// <summary>
/// Rewrites System.Text.Json syntax errors into the wording of Go's encoding/json, which is
/// what Consul prints after "failed to parse &lt;file&gt;: ". Unknown messages pass through.
/// </summary>
internal static partial class GoJsonErrors
{
    [GeneratedRegex(@"^'(.+?)' is an invalid start of a value\.")]
    private static partial Regex StartOfValue();

    [GeneratedRegex(@"^'(.+?)' is an invalid start of a property name\.")]
    private static partial Regex StartOfProperty();

    [GeneratedRegex(@"^'(.+?)' is invalid after a property name\.")]
    private static partial Regex AfterPropertyName();

    [GeneratedRegex(@"^'(.+?)' is invalid after a value\.")]
    private static partial Regex AfterValue();

    [GeneratedRegex(@"^'(.+?)' is invalid after a single JSON value\.")]
    private static partial Regex AfterTopLevel();

    [GeneratedRegex(@"^'(.+?)' is an invalid JSON literal\. Expected the literal '(\w+)'\.")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^'(.+?)' is invalid within a JSON string\.")]
    private static partial Regex InString();

    public static string Translate(string message, bool insideArray, string text)
    {
        Match m;
        if ((m = StartOfValue().Match(message)).Success) return $"invalid character {Quote(m)} looking for beginning of value";
        if ((m = StartOfProperty().Match(message)).Success) return $"invalid character {Quote(m)} looking for beginning of object key string";
        if ((m = AfterPropertyName().Match(message)).Success) return $"invalid character {Quote(m)} after object key";
        if ((m = AfterValue().Match(message)).Success)
            return $"invalid character {Quote(m)} after {(insideArray ? "array element" : "object key:value pair")}";
        if ((m = AfterTopLevel().Match(message)).Success) return $"invalid character {Quote(m)} after top-level value";
        if ((m = Literal().Match(message)).Success) return LiteralError(m.Groups[1].Value, m.Groups[2].Value);
        if (message.Contains("is an invalid end of a number", StringComparison.Ordinal) && text.TrimEnd() is { Length: > 0 } t && char.IsAsciiDigit(t[^1]))
            return "unexpected end of JSON input";
        if ((m = InString().Match(message)).Success) return $"invalid character {Quote(m)} in string literal";
        if (message.Contains("reached end of data", StringComparison.Ordinal)
            || message.StartsWith("Expected depth to be zero", StringComparison.Ordinal))
            return "unexpected end of JSON input";
        if (message.Contains("trailing comma", StringComparison.Ordinal))
            return message.Contains("array", StringComparison.Ordinal)
                ? "invalid character ']' looking for beginning of value"
                : "invalid character '}' looking for beginning of object key string";
        return message;
    }

    /// <summary>
    /// System.Text.Json quotes the whole bad token; Go names the first wrong character and
    /// the one the literal needed there.
    /// </summary>
    private static string LiteralError(string token, string literal)
    {
        for (var k = 0; k < literal.Length; k++)
        {
            if (k >= token.Length) return "unexpected end of JSON input";
            if (token[k] != literal[k]) return $"invalid character '{token[k]}' in literal {literal} (expecting '{literal[k]}')";
        }
        return $"invalid character '{(token.Length > literal.Length ? token[literal.Length] : ' ')}' after top-level value";
    }

    private static string Quote(Match m)
    {
        var ch = m.Groups[1].Value;
        return ch switch
        {
            "\n" or "0x0A" => "'\\n'",
            "\t" or "0x09" => "'\\t'",
            "\r" or "0x0D" => "'\\r'",
            _ => $"'{ch}'",
        };
    }
}
