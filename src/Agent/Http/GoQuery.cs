using System.Text;

namespace Consul.Agent.Http;

/// <summary>Query-string helpers that reproduce Go's net/url and strconv behaviour in Consul's messages.</summary>
public static class GoQuery
{
    /// <summary>url.Values.Encode: keys sorted, each key=value pair query-escaped, joined by '&amp;'.</summary>
    public static string Encode(IQueryCollection query)
    {
        var sb = new StringBuilder();
        foreach (var key in query.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var values = query[key];
            if (values.Count == 0) values = new Microsoft.Extensions.Primitives.StringValues("");
            foreach (var value in values)
            {
                if (sb.Length > 0) sb.Append('&');
                sb.Append(Escape(key)).Append('=').Append(Escape(value ?? ""));
            }
        }
        return sb.ToString();
    }

    /// <summary>url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>strconv.ParseBool's accepted spellings.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": value = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": value = false; return true;
            default: value = false; return false;
        }
    }
}
