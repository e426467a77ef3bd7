namespace Consul.Core.Watches;

/// <summary>One blocking HTTP read a watch asks for: a /v1 path and its query parameters.</summary>
public sealed record WatchRequest(string Path, IReadOnlyList<KeyValuePair<string, string>> Query);

/// <summary>What came back: status, body and the X-Consul-Index header (0 when absent).</summary>
public sealed record WatchHttpResult(int StatusCode, byte[] Body, ulong Index);

/// <summary>
/// Performs one request against a Consul HTTP API. The CLI adapts its API client, the
/// agent can adapt an HttpClient; transport failures are thrown as any exception.
/// </summary>
public delegate Task<WatchHttpResult> WatchFetch(WatchRequest request, CancellationToken cancellation);

/// <summary>A watch query that failed; the message is the one Consul's api client would give.</summary>
public sealed class WatchQueryException(string message) : Exception(message);

/// <summary>A watch specification Consul would reject; the message is Consul's (watch.Parse).</summary>
public sealed class WatchParseException(string message) : Exception(message);
