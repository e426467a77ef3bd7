using System.Text;

namespace Consul.Tests.Fuzz;

/// <summary>One generated HTTP request, printable so a failure can be replayed by hand.</summary>
internal sealed record FuzzRequest(string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, string? ContentType)
{
    /// <summary>Asks for a blocking query (an index parameter): it may legitimately wait.</summary>
    public bool MayBlock => Url.Contains("index=", StringComparison.Ordinal);

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), Url);
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder().Append(Method).Append(' ').Append(Url);
        foreach (var (name, value) in Headers) text.Append(" [").Append(name).Append(": ").Append(Shorten(value)).Append(']');
        if (Body is not null)
            text.Append(" body(").Append(Body.Length).Append(" bytes").Append(ContentType is null ? "" : ", " + ContentType).Append("): ")
                .Append(Shorten(Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300))));
        return text.ToString();
    }

    internal static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + $"…({s.Length} chars)";
}
