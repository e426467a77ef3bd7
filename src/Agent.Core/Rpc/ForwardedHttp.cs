namespace Consul.Core.Rpc;

/// <summary>
/// One HTTP API request sent to another datacenter (Consul forwards the RPC behind it; here the
/// request itself travels). <see cref="Forwarded"/> is set once a server has routed it over the
/// WAN, so the receiving server runs it or refuses it, never routes it again.
/// </summary>
public sealed record ForwardedHttpRequest
{
    public string Datacenter { get; init; } = "";
    public bool Forwarded { get; init; }
    public string Method { get; init; } = "GET";
    /// <summary>Path and query string as the client sent them (?dc= names <see cref="Datacenter"/>).</summary>
    public string PathAndQuery { get; init; } = "/";
    /// <summary>Only the headers that change the answer: token, authorization, content type.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];
}

/// <summary>The remote answer, passed through unchanged: status, X-Consul-* and Content-Type headers, body.</summary>
public sealed record ForwardedHttpResponse
{
    public int Status { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];

    /// <summary>A plain-text answer, as Consul's HTTP layer writes RPC errors.</summary>
    public static ForwardedHttpResponse Text(int status, string message) => new()
    {
        Status = status,
        Headers = [new("Content-Type", "text/plain; charset=utf-8")],
        Body = System.Text.Encoding.UTF8.GetBytes(message),
    };

    /// <summary>Consul's answer for a datacenter no WAN server belongs to.</summary>
    public static ForwardedHttpResponse NoPath() => Text(500, NoPathToDatacenter);

    public const string NoPathToDatacenter = "No path to datacenter";
}

/// <summary>What serves a forwarded request: a server runs it for its own datacenter or routes it to the target one.</summary>
public interface IHttpForwardHandler
{
    Task<ForwardedHttpResponse> HandleAsync(ForwardedHttpRequest request, CancellationToken ct);
}
