using System.Security.Authentication;
using Consul.Core.Model;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckHTTP: 2xx passing, 429 warning, anything else or an error critical. Output
/// "HTTP GET url: 200 OK Output: body" with the last OutputMaxSize bytes of the body.
/// No keep-alive: each probe opens a fresh connection, as Consul's transport does.
/// </summary>
internal sealed class HttpCheck : IntervalCheck
{
    private readonly CheckDefinition _def;
    private readonly string _method;
    private readonly string _url;
    private readonly TimeSpan _timeout;
    private readonly int _outputMax;
    private readonly HttpClient _client;

    public HttpCheck(CheckSettings s) : base(s)
    {
        _def = s.Definition;
        _method = string.IsNullOrEmpty(_def.Method) ? "GET" : _def.Method;
        _url = _def.HTTP!;
        _timeout = s.NetworkTimeout;
        _outputMax = s.OutputMaxSize;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = !_def.DisableRedirects,
            MaxAutomaticRedirections = 10, // Go's http.Client stops after 10 redirects.
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = CheckTls.Options(_def.TLSSkipVerify, _def.TLSServerName, s.Options),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    protected override void OnStopped() => _client.Dispose();

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        HttpRequestMessage request;
        try
        {
            request = BuildRequest();
        }
        catch (Exception e) when (e is UriFormatException or FormatException or InvalidOperationException or ArgumentException)
        {
            Report(HealthStatus.Critical, $"parse \"{_url}\": {e.Message}");
            return;
        }

        using var _ = request;
        using var timer = new CancellationTokenSource(_timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Report(HealthStatus.Critical, $"{GoErrorText.HttpOp(_method)} \"{_url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            return;
        }
        catch (HttpRequestException e)
        {
            Report(HealthStatus.Critical, $"{GoErrorText.HttpOp(_method)} \"{_url}\": {Describe(e, request.RequestUri!)}");
            return;
        }

        using (response)
        {
            var body = new OutputBuffer(_outputMax);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
                var chunk = new byte[8192];
                int n;
                while ((n = await stream.ReadAsync(chunk, linked.Token).ConfigureAwait(false)) > 0)
                    body.Write(chunk.AsSpan(0, n));
            }
            catch (Exception e) when (!stop.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException)
            {
                // As in Consul: a broken body is logged and the status code still decides.
                Log.LogWarning("Check {CheckId} error while reading body: {Error}", CheckId, e.Message);
            }

            var code = (int)response.StatusCode;
            var reason = string.IsNullOrEmpty(response.ReasonPhrase) ? ReasonPhrases.GetReasonPhrase(code) : response.ReasonPhrase;
            var result = $"HTTP {_method} {_url}: {code} {reason} Output: {body}";
            var status = code is >= 200 and <= 299 ? HealthStatus.Passing
                : code == 429 ? HealthStatus.Warning
                : HealthStatus.Critical;
            Report(status, result);
        }
    }

    private HttpRequestMessage BuildRequest()
    {
        var request = new HttpRequestMessage(new HttpMethod(_method), _url);
        if (!string.IsNullOrEmpty(_def.Body))
            request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(_def.Body));

        foreach (var (name, values) in _def.Header ?? [])
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                if (values.Count > 0) request.Headers.Host = values[0];
                continue;
            }
            if (request.Headers.TryAddWithoutValidation(name, values)) continue;
            // Content-Type and friends live on the content in .NET.
            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.TryAddWithoutValidation(name, values);
        }

        if (!request.Headers.Contains("User-Agent")) request.Headers.TryAddWithoutValidation("User-Agent", CheckDefaults.UserAgent);
        if (!request.Headers.Contains("Accept")) request.Headers.TryAddWithoutValidation("Accept", CheckDefaults.Accept);
        request.Headers.ConnectionClose = true;
        return request;
    }

    /// <summary>Go-style transport error text: "dial tcp 127.0.0.1:1: connect: connection refused".</summary>
    private static string Describe(HttpRequestException e, Uri uri)
    {
        var address = $"{uri.Host}:{uri.Port}";
        if (GoErrorText.Find<System.Net.Sockets.SocketException>(e) is { } se) return GoErrorText.Dial("tcp", address, se);
        if (GoErrorText.Find<AuthenticationException>(e) is { } ae) return $"tls: failed to verify certificate: {ae.Message}";
        return e.InnerException?.Message ?? e.Message;
    }
}
