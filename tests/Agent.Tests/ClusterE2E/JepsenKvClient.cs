using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;

namespace Consul.Tests.ClusterE2E;

/// <summary>How a request ended, in the terms a linearizability checker needs.</summary>
public enum JepsenOutcome
{
    /// <summary>The agent answered; the answer is the truth.</summary>
    Ok,
    /// <summary>Certainly had no effect: refused connection (never sent) or a 4xx.</summary>
    Failed,
    /// <summary>May or may not have taken effect: timeout, 5xx, connection lost mid-request.</summary>
    Unknown,
}

/// <summary>
/// The workload's KV calls against one agent's HTTP API. Every request goes on a fresh
/// connection (Connection: close) so a refused connection really means "never sent": the
/// handler only resends a request when a pooled connection it reused turns out dead, and that
/// resend could hide a PUT the killed server had already applied.
/// </summary>
public sealed class JepsenKvClient(HttpClient http, string baseUrl)
{
    public sealed record ReadResult(JepsenOutcome Outcome, int Value, ulong Index, string Detail);
    public sealed record PutResult(JepsenOutcome Outcome, bool Applied, string Detail);

    /// <summary>A `?consistent` read; an absent key reads as value 0 with ModifyIndex 0.</summary>
    public async Task<ReadResult> ReadAsync(string key)
    {
        try
        {
            using var req = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/v1/kv/{key}?consistent");
            req.Headers.ConnectionClose = true;
            using var resp = await http.SendAsync(req);
            var body = await resp.Content.ReadAsStringAsync();
            if (resp.StatusCode == HttpStatusCode.NotFound) return new(JepsenOutcome.Ok, 0, 0, "");
            if (resp.StatusCode != HttpStatusCode.OK) return new(Classify(resp.StatusCode), 0, 0, Status(resp.StatusCode, body));
            var entry = JsonNode.Parse(body)!.AsArray()[0]!;
            var raw = (string?)entry["Value"];
            var value = raw is null ? 0 : int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
            return new(JepsenOutcome.Ok, value, entry["ModifyIndex"]!.GetValue<ulong>(), "");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(Classify(e), 0, 0, Describe(e));
        }
    }

    /// <summary>A plain PUT, or with <paramref name="cas"/> a check-and-set on that ModifyIndex.</summary>
    public async Task<PutResult> PutAsync(string key, int value, ulong? cas)
    {
        try
        {
            var url = $"{baseUrl}/v1/kv/{key}" + (cas is { } index ? $"?cas={index}" : "");
            using var req = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent(value.ToString()) };
            req.Headers.ConnectionClose = true;
            using var resp = await http.SendAsync(req);
            var body = (await resp.Content.ReadAsStringAsync()).Trim();
            if (resp.StatusCode != HttpStatusCode.OK) return new(Classify(resp.StatusCode), false, Status(resp.StatusCode, body));
            return body switch
            {
                "true" => new(JepsenOutcome.Ok, true, ""),
                // A CAS that lost is a definite answer; a plain PUT answering false is not something Consul does, so assume nothing.
                "false" when cas is not null => new(JepsenOutcome.Ok, false, ""),
                _ => new(JepsenOutcome.Unknown, false, $"200 {body}"),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new(Classify(e), false, Describe(e));
        }
    }

    private static JepsenOutcome Classify(HttpStatusCode status) => (int)status >= 500 ? JepsenOutcome.Unknown : JepsenOutcome.Failed;

    private static JepsenOutcome Classify(Exception e) =>
        e is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } }
            ? JepsenOutcome.Failed
            : JepsenOutcome.Unknown;

    private static string Status(HttpStatusCode status, string body) =>
        $"{(int)status} {(body.Length > 120 ? body[..120] : body).ReplaceLineEndings(" ")}";

    private static string Describe(Exception e) => e is TaskCanceledException ? "timeout" : e.Message;
}
