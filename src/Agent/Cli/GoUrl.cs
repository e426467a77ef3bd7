using System.Text;

namespace Consul.Agent.Cli;

/// <summary>Go's net/url escaping, so request URLs and error texts match Consul's client.</summary>
internal static class GoUrl
{
    /// <summary>url.URL.EscapedPath: keeps unreserved characters and $&amp;+,/:;=@.</summary>
    public static string EscapePath(string path) => Escape(path, c => c is '$' or '&' or '+' or ',' or '/' or ':' or ';' or '=' or '@', spaceAsPlus: false);

    /// <summary>url.QueryEscape: space becomes '+'.</summary>
    public static string QueryEscape(string s) => Escape(s, _ => false, spaceAsPlus: true);

    /// <summary>url.Values.Encode: keys sorted, values in insertion order per key.</summary>
    public static string EncodeQuery(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs
            .Select((p, i) => (p, i))
            .OrderBy(x => x.p.Key, StringComparer.Ordinal).ThenBy(x => x.i)
            .Select(x => QueryEscape(x.p.Key) + "=" + QueryEscape(x.p.Value)));

    private static string Escape(string s, Func<char, bool> keep, bool spaceAsPlus)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (b < 0x80 && keep(c))) sb.Append(c);
            else if (c == ' ' && spaceAsPlus) sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}

/// <summary>Go-style texts for common OS errors.</summary>
internal static class GoErrors
{
    /// <summary>The text of Go's *PathError from os.Open / os.ReadFile.</summary>
    public static string OpenError(string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"open {path}: no such file or directory",
        UnauthorizedAccessException => $"open {path}: permission denied",
        IOException when Directory.Exists(path) => $"read {path}: is a directory",
        _ => $"open {path}: {e.Message}",
    };
}
