using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Cli;
using Consul.Agent.Config;
using Consul.Core.Util;
using Consul.Core.Watches;

namespace Consul.Agent.Hosting;

/// <summary>
/// The agent's `watches` from config files: each runs a blocking-query loop against this
/// agent's HTTP API and, on every change, runs its script handler (JSON on stdin,
/// CONSUL_INDEX in the environment) or sends the JSON to its HTTP handler.
/// </summary>
public sealed class ConfigWatches(AgentConfig config, TimeProvider time, ILoggerFactory logs) : IHostedService
{
    private static readonly string[] Exempt = ["handler", "args", "http_handler_config"];
    private readonly ILogger _log = logs.CreateLogger("agent.watch");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();
    private HttpClient? _http;

    public Task StartAsync(CancellationToken ct)
    {
        if (config.Watches.Count == 0) return Task.CompletedTask;
        var addr = config.HttpListenAddrs.FirstOrDefault();
        if (addr is null || config.Ports.Http < 0)
        {
            _log.LogWarning("watch: watches are configured but the HTTP API is disabled; not running them");
            return Task.CompletedTask;
        }
        _http = new HttpClient { BaseAddress = new Uri($"http://{(addr == "0.0.0.0" ? "127.0.0.1" : addr)}:{config.Ports.Http}"), Timeout = Timeout.InfiniteTimeSpan };
        foreach (var spec in config.Watches)
        {
            WatchPlan plan;
            try
            {
                plan = WatchPlan.Parse(spec, Exempt);
            }
            catch (WatchParseException e)
            {
                _log.LogError("Failed to parse watch: {Error}", e.Message);
                continue;
            }
            var runner = new WatchRunner(plan, WatchHttpClientFetch.Create(_http, plan.Token), time)
            {
                Handler = HandlerFor(plan),
                OnError = (e, wait) => _log.LogError("Watch errored: type={Type} error={Error} retry={Retry}", plan.Type, e.Message, GoDuration.Format(wait)),
            };
            _loops.Add(Task.Run(() => runner.RunAsync(_stop.Token)));
        }
        return Task.CompletedTask;
    }

    private WatchHandler HandlerFor(WatchPlan plan)
    {
        if (plan.HandlerType == "http" && plan.Exempt.TryGetValue("http_handler_config", out var cfg) && cfg is IReadOnlyDictionary<string, object?> http)
            return (index, result, ct) => SendHttp(http, index, result, ct);
        var args = plan.Exempt.TryGetValue("args", out var a) && a is IEnumerable<object?> list
            ? list.Select(x => x?.ToString() ?? "").ToList()
            : null;
        var shellCommand = plan.Exempt.TryGetValue("handler", out var h) ? h?.ToString() : null;
        return (index, result, ct) => RunScript(args, shellCommand, index, result, ct);
    }

    private async Task RunScript(List<string>? args, string? shellCommand, ulong index, JsonNode? result, CancellationToken ct)
    {
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var psi = args is { Count: > 0 } ? LockShell.StartInfo(args, shell: false, env)
            : shellCommand is { Length: > 0 } ? LockShell.StartInfo([shellCommand], shell: true, env)
            : null;
        if (psi is null)
        {
            _log.LogError("Watch has no handler: set args or handler");
            return;
        }
        psi.Environment["CONSUL_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        try
        {
            using var process = Process.Start(psi)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            try
            {
                await process.StandardInput.WriteAsync((result?.ToJsonString() ?? "null") + "\n");
                process.StandardInput.Close();
            }
            catch (IOException) { /* a handler may ignore its input */ }
            await process.WaitForExitAsync(ct);
            var text = (await output) + (await errors);
            if (process.ExitCode != 0)
                _log.LogError("Failed to run watch handler: {Exit} output={Output}", LockShell.ExitText(process.ExitCode), text.Trim());
            else
                _log.LogDebug("watch handler output: {Output}", text.Trim());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _log.LogError("Failed to invoke watch handler: {Error}", e.Message);
        }
    }

    private async Task SendHttp(IReadOnlyDictionary<string, object?> cfg, ulong index, JsonNode? result, CancellationToken ct)
    {
        var path = cfg.TryGetValue("path", out var p) ? p?.ToString() ?? "" : "";
        var method = cfg.TryGetValue("method", out var m) && m?.ToString() is { Length: > 0 } mm ? mm : "POST";
        var timeout = cfg.TryGetValue("timeout", out var t) && GoDuration.TryParse(t?.ToString(), out var d) ? d : TimeSpan.FromSeconds(10);
        var skipVerify = cfg.TryGetValue("tls_skip_verify", out var s) && s is true;
        using var handler = new HttpClientHandler();
        if (skipVerify) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        using var client = new HttpClient(handler) { Timeout = timeout };
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(result?.ToJsonString() ?? "null", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Consul-Index", index.ToString(CultureInfo.InvariantCulture));
        if (cfg.TryGetValue("header", out var hdr) && hdr is IReadOnlyDictionary<string, object?> headers)
            foreach (var (name, values) in headers)
                foreach (var v in values as IEnumerable<object?> ?? [values])
                    request.Headers.TryAddWithoutValidation(name, v?.ToString());
        try
        {
            using var response = await client.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                _log.LogError("Failed to invoke http watch handler: status={Status}", (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _log.LogError("Failed to invoke http watch handler: {Error}", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), ct); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        _http?.Dispose();
    }
}
