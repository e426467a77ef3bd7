using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>
/// The KV and session calls of Consul's api package that locks and semaphores use, over
/// the CLI's API client. Calls can be abandoned through a token (the client has none per call).
/// </summary>
internal sealed class LockKvClient(ConsulApiClient client)
{
    public async Task<(KvPair? Pair, ulong Index)> GetAsync(string key, ulong waitIndex, TimeSpan? wait, bool consistent,
        CancellationToken cancel = default)
    {
        var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + key, BlockingQuery(waitIndex, wait, consistent)).WaitAsync(cancel);
        var index = IndexOf(resp);
        if (resp.StatusCode == 404) return (null, index);
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        var list = KvPair.ListFrom(resp.Body);
        return (list.Count > 0 ? list[0] : null, index);
    }

    public async Task<(List<KvPair> Pairs, ulong Index)> ListAsync(string prefix, ulong waitIndex, TimeSpan? wait, bool consistent,
        CancellationToken cancel = default)
    {
        var q = BlockingQuery(waitIndex, wait, consistent);
        q.Add(new("recurse", ""));
        var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + prefix, q).WaitAsync(cancel);
        var index = IndexOf(resp);
        if (resp.StatusCode == 404) return ([], index);
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        return (KvPair.ListFrom(resp.Body), index);
    }

    public Task<bool> AcquireAsync(string key, string session, ulong flags, byte[] value) =>
        PutBoolAsync(key, [new("acquire", session)], flags, value);

    public Task<bool> ReleaseAsync(string key, string session, ulong flags) =>
        PutBoolAsync(key, [new("release", session)], flags, []);

    public Task<bool> CasAsync(string key, ulong modifyIndex, ulong flags, byte[] value) =>
        PutBoolAsync(key, [new("cas", modifyIndex.ToString(CultureInfo.InvariantCulture))], flags, value);

    public async Task<bool> DeleteCasAsync(string key, ulong modifyIndex)
    {
        var resp = await client.RequireOkAsync(HttpMethod.Delete, "/v1/kv/" + key,
            [new("cas", modifyIndex.ToString(CultureInfo.InvariantCulture))]);
        return resp.Text.Trim() == "true";
    }

    public async Task DeleteAsync(string key) => await client.RequireOkAsync(HttpMethod.Delete, "/v1/kv/" + key);

    /// <summary>Session.Create with only the fields set (Name, TTL); LockDelay stays the server's 15s.</summary>
    public async Task<string> CreateSessionAsync(string name, string ttl)
    {
        var body = new JsonObject { ["Name"] = name, ["TTL"] = ttl };
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/session/create", null,
            Encoding.UTF8.GetBytes(body.ToJsonString()), "application/json");
        return JsonNode.Parse(resp.Body)?["ID"]?.GetValue<string>() ?? throw new CliApiException("session create returned no ID");
    }

    /// <summary>Session.Renew: the session's TTL, or null when the session is gone (404).</summary>
    public async Task<string?> RenewSessionAsync(string id)
    {
        var resp = await client.SendAsync(HttpMethod.Put, "/v1/session/renew/" + id);
        if (resp.StatusCode == 404) return null;
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        var list = JsonNode.Parse(resp.Body) as JsonArray;
        if (list is null || list.Count == 0) return null;
        return list[0]?["TTL"]?.GetValue<string>() ?? "";
    }

    public async Task DestroySessionAsync(string id) => await client.RequireOkAsync(HttpMethod.Put, "/v1/session/destroy/" + id);

    private async Task<bool> PutBoolAsync(string key, List<KeyValuePair<string, string>> q, ulong flags, byte[] value)
    {
        if (flags != 0) q.Add(new("flags", flags.ToString(CultureInfo.InvariantCulture)));
        var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/kv/" + key, q, value, "application/octet-stream");
        return resp.Text.Trim() == "true";
    }

    private static List<KeyValuePair<string, string>> BlockingQuery(ulong waitIndex, TimeSpan? wait, bool consistent)
    {
        var q = new List<KeyValuePair<string, string>>();
        if (consistent) q.Add(new("consistent", ""));
        if (waitIndex != 0) q.Add(new("index", waitIndex.ToString(CultureInfo.InvariantCulture)));
        // durToMsec: whole milliseconds.
        if (wait is { } w && w > TimeSpan.Zero) q.Add(new("wait", $"{(long)w.TotalMilliseconds}ms"));
        return q;
    }

    public static ulong IndexOf(ApiResponse resp) =>
        resp.Headers.TryGetValues("X-Consul-Index", out var values) &&
        ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : 0;

    /// <summary>api.IsRetryableError: transport failures and 500s.</summary>
    public static bool IsRetryable(Exception e) =>
        e is CliApiException c && (!c.Message.StartsWith("Unexpected response code:", StringComparison.Ordinal) ||
                                   c.Message.Contains("Unexpected response code: 500", StringComparison.Ordinal));

    /// <summary>Go's path.Join for a prefix and a child name.</summary>
    public static string PathJoin(string prefix, string name)
    {
        var parts = prefix.Split('/', StringSplitOptions.RemoveEmptyEntries).Append(name);
        return string.Join('/', parts);
    }
}
