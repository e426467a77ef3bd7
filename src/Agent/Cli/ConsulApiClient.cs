using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Consul.Agent.Cli;

/// <summary>An API or transport failure, carrying the text Consul's Go client would print.</summary>
internal sealed class CliApiException(string message) : Exception(message);

/// <summary>TLS and transport settings; equal settings share one HttpClient.</summary>
internal sealed record TlsSettings(
    string? CaFile, string? CaPath, string? CertFile, string? KeyFile,
    string? ServerName, bool Insecure, string? UnixSocket);

/// <summary>A buffered HTTP response.</summary>
internal sealed record ApiResponse(int StatusCode, byte[] Body, HttpResponseHeaders Headers)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A thin Consul HTTP API client in the manner of github.com/hashicorp/consul/api:
/// query parameters sorted like url.Values.Encode, X-Consul-Token, ?dc=, and Go's
/// error texts ("Get \"url\": dial tcp ...", "Unexpected response code: N (body)").
/// </summary>
internal sealed class ConsulApiClient
{
    private static readonly ConcurrentDictionary<TlsSettings, HttpClient> Clients = new();

    private readonly string _scheme;
    private readonly string _address;
    private readonly string? _token;
    private readonly string? _datacenter;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _tenancy;
    private readonly TlsSettings _tls;
    private readonly CancellationToken _cancel;

    public ConsulApiClient(string scheme, string address, string? token, string? datacenter,
        IReadOnlyList<KeyValuePair<string, string>> tenancy, TlsSettings tls, CancellationToken cancel)
    {
        _tenancy = tenancy;
        _scheme = scheme;
        _address = address;
        _token = token;
        _datacenter = datacenter;
        _tls = tls;
        _cancel = cancel;
    }

    private HttpClient Http => Clients.GetOrAdd(_tls, CreateHttpClient);

    /// <summary>Scheme and address requests go to, as Consul prints them ("http://127.0.0.1:8500").</summary>
    public string BaseAddress => $"{_scheme}://{_address}";

    /// <summary>Sends a request and buffers the whole response.</summary>
    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query = null,
        byte[]? body = null, string? contentType = null)
    {
        var url = BuildUrl(path, query);
        using var response = await SendCoreAsync(method, url, body, contentType, HttpCompletionOption.ResponseContentRead);
        var bytes = await response.Content.ReadAsByteArrayAsync(_cancel);
        return new ApiResponse((int)response.StatusCode, bytes, response.Headers);
    }

    /// <summary>Sends a request and fails with Consul's message unless the status is 200.</summary>
    public async Task<ApiResponse> RequireOkAsync(HttpMethod method, string path, IEnumerable<KeyValuePair<string, string>>? query = null,
        byte[]? body = null, string? contentType = null)
    {
        var response = await SendAsync(method, path, query, body, contentType);
        if (response.StatusCode != 200) throw UnexpectedStatus(response.StatusCode, response.Text);
        return response;
    }

    /// <summary>Opens a streaming GET (agent monitor); the caller reads and disposes it.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string path, IEnumerable<KeyValuePair<string, string>>? query)
    {
        var url = BuildUrl(path, query);
        var response = await SendCoreAsync(HttpMethod.Get, url, null, null, HttpCompletionOption.ResponseHeadersRead);
        if ((int)response.StatusCode != 200)
        {
            var text = await response.Content.ReadAsStringAsync(_cancel);
            var code = (int)response.StatusCode;
            response.Dispose();
            throw UnexpectedStatus(code, text);
        }
        return response;
    }

    public static CliApiException UnexpectedStatus(int code, string body) =>
        new($"Unexpected response code: {code} ({body.Trim()})");

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string url, byte[]? body, string? contentType,
        HttpCompletionOption completion)
    {
        using var request = new HttpRequestMessage(method, RequestUri(url));
        if (!string.IsNullOrEmpty(_token)) request.Headers.TryAddWithoutValidation("X-Consul-Token", _token);
        // SocketsHttpHandler takes the TLS server name (SNI and verification) from the Host header.
        if (_scheme == "https" && !string.IsNullOrEmpty(_tls.ServerName)) request.Headers.Host = _tls.ServerName;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        try
        {
            return await Http.SendAsync(request, completion, _cancel);
        }
        catch (HttpRequestException e)
        {
            throw new CliApiException($"{GoOp(method)} {GoFlagSet.GoQuote(url)}: {DescribeTransportError(e)}");
        }
    }

    /// <summary>The URL as Go's api client prints it (host as configured).</summary>
    private string BuildUrl(string path, IEnumerable<KeyValuePair<string, string>>? query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        var own = query?.ToList() ?? [];
        // Per-request options replace the client-wide ones, as r.params.Set does in Go.
        if (!string.IsNullOrEmpty(_datacenter) && own.All(p => p.Key != "dc")) pairs.Add(new("dc", _datacenter));
        pairs.AddRange(_tenancy.Where(t => own.All(p => p.Key != t.Key)));
        pairs.AddRange(own);
        var sb = new StringBuilder(_scheme).Append("://").Append(_address).Append(GoUrl.EscapePath(path));
        if (pairs.Count > 0) sb.Append('?').Append(GoUrl.EncodeQuery(pairs));
        return sb.ToString();
    }

    // Unix sockets have no host; route through a fixed one and let ConnectCallback dial the socket.
    private Uri RequestUri(string url) =>
        _tls.UnixSocket is null ? new Uri(url) : new Uri("http://localhost" + url[(url.IndexOf(_address, StringComparison.Ordinal) + _address.Length)..]);

    private string DescribeTransportError(HttpRequestException e)
    {
        if (FindInner<System.Security.Authentication.AuthenticationException>(e) is not null)
            return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
        var socket = FindInner<SocketException>(e);
        if (_tls.UnixSocket is { } sock)
        {
            return socket?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"dial unix {sock}: connect: connection refused",
                SocketError.AddressNotAvailable or SocketError.HostNotFound => $"dial unix {sock}: connect: no such file or directory",
                _ => $"dial unix {sock}: connect: {socket?.Message ?? e.Message}",
            };
        }
        var host = DialedAddress(_address);
        return socket?.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"dial tcp {host}: connect: connection refused",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain =>
                $"dial tcp: lookup {HostPart(host)}: no such host",
            SocketError.TimedOut => $"dial tcp {host}: i/o timeout",
            SocketError.NetworkUnreachable => $"dial tcp {host}: connect: network is unreachable",
            _ => e.InnerException?.Message ?? e.Message,
        };
    }

    /// <summary>
    /// Go names the resolved IP in dial errors ("dial tcp 127.0.0.1:8500" for "localhost:8500");
    /// IPv4 first, as Go's resolver orders /etc/hosts answers.
    /// </summary>
    private static string DialedAddress(string address)
    {
        var host = HostPart(address);
        var port = host.Length < address.Length ? address[(host.Length + 1)..] : "";
        if (port.Length == 0 || System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _)) return address;
        try
        {
            var ips = System.Net.Dns.GetHostAddresses(host);
            var ip = ips.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? ips.FirstOrDefault();
            if (ip is null) return address;
            return ip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ip}]:{port}" : $"{ip}:{port}";
        }
        catch (SocketException)
        {
            return address;
        }
    }

    private static string HostPart(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0 && !address.EndsWith(']') ? address[..colon] : address;
    }

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is T t) return t;
        return null;
    }

    /// <summary>Go's url.Error Op: "Get", "Put", "Delete".</summary>
    private static string GoOp(HttpMethod method) =>
        method.Method[..1].ToUpperInvariant() + method.Method[1..].ToLowerInvariant();

    private static HttpClient CreateHttpClient(TlsSettings tls)
    {
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = true };
        if (tls.UnixSocket is { } path)
        {
            handler.ConnectCallback = Consul.Agent.Http.UnixSocketHttp.Connect(path);
        }
        var ssl = new SslClientAuthenticationOptions();
        if (tls.ServerName is not null) ssl.TargetHost = tls.ServerName;
        if (tls.CertFile is not null && tls.KeyFile is not null)
        {
            ssl.ClientCertificates = new X509CertificateCollection { X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile) };
        }
        var roots = LoadRoots(tls);
        if (tls.Insecure)
        {
            ssl.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (roots.Count > 0)
        {
            ssl.RemoteCertificateValidationCallback = (_, cert, _, errors) => ValidateWithRoots(cert, errors, roots);
        }
        handler.SslOptions = ssl;
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Loads the TLS files up front so a bad path fails with Consul's message
    /// ("Error loading CA File: ...") before any request is made.
    /// </summary>
    public static void ValidateTls(TlsSettings tls)
    {
        LoadFile(tls.CaFile, "Error loading CA File", f => new X509Certificate2Collection().ImportFromPemFile(f));
        if (tls.CaPath is not null && !Directory.Exists(tls.CaPath))
            throw new CliApiException($"Error loading CA Path: {GoErrors.OpenError(tls.CaPath, new DirectoryNotFoundException())}");
        if (tls.CertFile is not null && tls.KeyFile is not null)
        {
            LoadFile(tls.CertFile, null, f => File.ReadAllBytes(f));
            LoadFile(tls.KeyFile, null, f => File.ReadAllBytes(f));
        }
    }

    private static void LoadFile(string? path, string? prefix, Action<string> load)
    {
        if (path is null) return;
        try
        {
            load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            var text = e is CryptographicException ? $"Couldn't parse PEM in: {path}" : GoErrors.OpenError(path, e);
            throw new CliApiException(prefix is null ? text : $"{prefix}: {text}");
        }
    }

    private static X509Certificate2Collection LoadRoots(TlsSettings tls)
    {
        var roots = new X509Certificate2Collection();
        if (tls.CaFile is not null) roots.ImportFromPemFile(tls.CaFile);
        if (tls.CaPath is not null && Directory.Exists(tls.CaPath))
        {
            foreach (var f in Directory.GetFiles(tls.CaPath).Order(StringComparer.Ordinal)) roots.ImportFromPemFile(f);
        }
        return roots;
    }

    // Trust the configured CA(s) instead of the system store, as Go's tls.Config.RootCAs does.
    private static bool ValidateWithRoots(X509Certificate? cert, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) return false;
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(cert));
    }
}
