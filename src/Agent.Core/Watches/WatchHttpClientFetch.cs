using System.Globalization;
using System.Text;

namespace Consul.Core.Watches;

/// <summary>
/// A <see cref="WatchFetch"/> over a plain HttpClient, for the agent's own `watches`: the
/// client's BaseAddress is the agent's HTTP API; the token goes in X-Consul-Token.
/// The client needs an infinite (or > 5 min) timeout, as blocking queries wait that long.
/// </summary>
public static class WatchHttpClientFetch
{
    public static WatchFetch Create(HttpClient http, string? token = null) => async (request, cancellation) =>
    {
        var url = new StringBuilder(request.Path);
        if (request.Query.Count > 0)
        {
            url.Append('?').Append(string.Join('&', request.Query.Select(q =>
                q.Value.Length == 0 ? Uri.EscapeDataString(q.Key) : $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")));
        }
        using var message = new HttpRequestMessage(HttpMethod.Get, url.ToString());
        if (!string.IsNullOrEmpty(token)) message.Headers.TryAddWithoutValidation("X-Consul-Token", token);
        using var response = await http.SendAsync(message, cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        ulong index = 0;
        if (response.Headers.TryGetValues("X-Consul-Index", out var values))
            ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out index);
        return new WatchHttpResult((int)response.StatusCode, body, index);
    };
}
