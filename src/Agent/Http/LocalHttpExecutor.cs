using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Consul.Agent.Config;
using Consul.Core.Rpc;

namespace Consul.Agent.Http;

/// <summary>
/// Runs a request forwarded from another datacenter against this agent's own HTTP API (the
/// request names this datacenter, so it is answered here and not forwarded again). The answer
/// keeps status, X-Consul-* and Content-Type headers and the body. Requests go to a Unix socket
/// the server's HTTP API also listens on (<see cref="SocketPath"/>), so a server whose API is
/// HTTPS-only, or bound elsewhere, serves them all the same.
/// </summary>
public sealed class LocalHttpExecutor : IDisposable
{
    private static readonly Uri Base = new("http://localhost");
    private readonly HttpClient _http;

    public LocalHttpExecutor(AgentConfig config)
    {
        var socket = SocketPath(config);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false, AllowAutoRedirect = false, UseCookies = false,
            ConnectCallback = UnixSocketHttp.Connect(socket),
        };
        // Blocking queries may run for minutes; the RPC deadline bounds the call instead.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// The server's private socket for forwarded requests: in the data dir, or (when that path is
    /// too long for a Unix socket address) in the temp dir under the node ID.
    /// </summary>
    public static string SocketPath(AgentConfig config)
    {
        var inDataDir = Path.GetFullPath(Path.Combine(config.DataDir, "forward.sock"));
        // sun_path holds 108 bytes including the terminating zero.
        return System.Text.Encoding.UTF8.GetByteCount(inDataDir) < 108
            ? inDataDir
            : Path.Combine(Path.GetTempPath(), $"consul-forward-{config.NodeId}.sock");
    }

    /// <summary>
    /// Marks the requests this server runs for another datacenter with a secret of this process,
    /// so the HTTP layer can tell them from callers on the same listener (<see cref="IsForwarded"/>).
    /// </summary>
    private const string ForwardedHeader = "X-Consul-Web-Forwarded";
    private static readonly string ForwardedSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Whether a request is one this server runs for another datacenter (Consul: an RPC, not an HTTP request here).</summary>
    public static bool IsForwarded(HttpRequest request) =>
        request.Headers.TryGetValue(ForwardedHeader, out var value) && value.Count == 1
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(value.ToString()), Encoding.ASCII.GetBytes(ForwardedSecret));

    public async Task<ForwardedHttpResponse> RunAsync(ForwardedHttpRequest request, CancellationToken ct)
    {
        var target = new Uri(Base, request.PathAndQuery);
        if (!Servable(request.Method, target)) return ForwardedHttpResponse.Text(403, ForwardRefused);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.Body.Length > 0 || !HttpMethods.IsGet(request.Method)) message.Content = new ByteArrayContent(request.Body);
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                if (message.Content is not null && MediaTypeHeaderValue.TryParse(value, out var type)) message.Content.Headers.ContentType = type;
                continue;
            }
            message.Headers.TryAddWithoutValidation(name, value);
        }
        message.Headers.TryAddWithoutValidation(ForwardedHeader, ForwardedSecret);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (HttpRequestException e)
        {
            return ForwardedHttpResponse.Text(500, $"forwarded request failed on this server: {e.Message}");
        }
        using var _ = response;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (name.StartsWith("X-Consul-", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                headers.Add(new(name, string.Join(", ", values)));
        return new ForwardedHttpResponse
        {
            Status = (int)response.StatusCode,
            Headers = headers,
            Body = await response.Content.ReadAsByteArrayAsync(ct),
        };
    }

    public const string ForwardRefused = "Permission denied: only datacenter-scoped API routes can be forwarded";

    /// <summary>
    /// Only what a datacenter forwards: the server port must not become a way into this agent's own
    /// endpoints (/v1/agent/*, which client_addr may keep local). Judged on the path as the listener
    /// will see it: resolved, decoded, no dot segments left.
    /// </summary>
    public static bool Servable(string method, Uri target)
    {
        var path = Uri.UnescapeDataString(target.AbsolutePath);
        if (path.Contains("/.", StringComparison.Ordinal) || path.Contains("//", StringComparison.Ordinal)) return false;
        return ForwardableRoutes.Forwards(path) || ForwardableRoutes.ServersAnswer(method, path);
    }

    public void Dispose() => _http.Dispose();
}
