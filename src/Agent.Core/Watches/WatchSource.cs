using System.Text;
using System.Text.Json.Nodes;

namespace Consul.Core.Watches;

/// <summary>What one watch query returned: the blocking index and the result (null = Go's nil).</summary>
public sealed record WatchOutcome(ulong Index, JsonNode? Result);

/// <summary>
/// One watch type's query (Consul's api/watch/funcs.go): how to ask, and how to read the
/// answer into the value handed to handlers.
/// </summary>
internal abstract class WatchSource
{
    public string Datacenter { get; set; } = "";

    protected abstract string Path { get; }

    protected virtual IEnumerable<KeyValuePair<string, string>> Parameters => [];

    /// <summary>Reads a 200 (or a tolerated 404) response into the handler's value.</summary>
    protected abstract JsonNode? Read(WatchHttpResult response, ulong lastIndex);

    /// <summary>404 means "no such key" for KV reads; every other non-200 is an error.</summary>
    protected virtual bool NotFoundIsEmpty => false;

    /// <summary>Checks done before the request (health.State rejects unknown states).</summary>
    protected virtual void Validate() { }

    public async Task<WatchOutcome> FetchAsync(WatchFetch fetch, ulong waitIndex, CancellationToken cancellation)
    {
        Validate();
        var query = new List<KeyValuePair<string, string>>();
        if (Datacenter.Length > 0) query.Add(new("dc", Datacenter));
        query.AddRange(Parameters);
        if (waitIndex > 0) query.Add(new("index", waitIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var response = await fetch(new WatchRequest(Path, query), cancellation);
        if (response.StatusCode == 404 && NotFoundIsEmpty) return new WatchOutcome(response.Index, null);
        if (response.StatusCode != 200)
            throw new WatchQueryException($"Unexpected response code: {response.StatusCode} ({Encoding.UTF8.GetString(response.Body).Trim()})");
        return new WatchOutcome(response.Index, Read(response, waitIndex));
    }

    protected static JsonNode? Parse(WatchHttpResult response) =>
        response.Body.Length == 0 ? null : JsonNode.Parse(response.Body);

    protected static IEnumerable<KeyValuePair<string, string>> Stale(bool stale) =>
        stale ? [new("stale", "")] : [];
}
