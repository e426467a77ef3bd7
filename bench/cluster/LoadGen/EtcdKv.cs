using System.Net.Http.Json;
using System.Text.Json;

namespace Consul.Bench.Cluster;

/// <summary>etcd's v3 HTTP/JSON gateway: POST /v3/kv/put and /v3/kv/range (base64 keys and values),
/// /v3/maintenance/status for member and leader ids.</summary>
public sealed class EtcdKv : IKvSystem
{
    public string Name => "etcd";

    public async Task<bool> PutAsync(HttpClient http, string node, string key, byte[] value, CancellationToken ct)
    {
        var body = new { key = B64(key), value = Convert.ToBase64String(value) };
        using var resp = await http.PostAsJsonAsync($"{node}/v3/kv/put", body, ct);
        return resp.IsSuccessStatusCode;
    }

    /// <summary>mode "serializable" reads the member's local copy; otherwise etcd's default linearizable read.</summary>
    public async Task<bool> GetAsync(HttpClient http, string node, string key, string? mode, CancellationToken ct)
    {
        object body = mode == "serializable" ? new { key = B64(key), serializable = true } : new { key = B64(key) };
        using var resp = await http.PostAsJsonAsync($"{node}/v3/kv/range", body, ct);
        if (!resp.IsSuccessStatusCode) return false;
        await resp.Content.ReadAsByteArrayAsync(ct);
        return true;
    }

    public async Task<byte[]?> LocalReadAsync(HttpClient http, string node, string key, CancellationToken ct)
    {
        try
        {
            using var resp = await http.PostAsJsonAsync($"{node}/v3/kv/range", new { key = B64(key), serializable = true }, ct);
            if (!resp.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
            if (!doc.RootElement.TryGetProperty("kvs", out var kvs) || kvs.GetArrayLength() == 0) return null;
            return Convert.FromBase64String(kvs[0].GetProperty("value").GetString() ?? "");
        }
        catch (HttpRequestException) { return null; }
    }

    public async Task<int> ReportedLeaderAsync(HttpClient http, string node, IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var leader = (await StatusAsync(http, node, ct))?.Leader;
        if (leader is null or "0") return -1;
        for (var i = 0; i < nodes.Count; i++)
            if ((await StatusAsync(http, nodes[i], ct))?.MemberId == leader) return i;
        return -1;
    }

    private static async Task<(string MemberId, string Leader)?> StatusAsync(HttpClient http, string node, CancellationToken ct)
    {
        try
        {
            using var resp = await http.PostAsync($"{node}/v3/maintenance/status", new StringContent("{}"), ct);
            if (!resp.IsSuccessStatusCode) return null;
            using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync(ct));
            var root = doc.RootElement;
            var leader = root.TryGetProperty("leader", out var l) ? l.GetString() ?? "0" : "0";
            return (root.GetProperty("header").GetProperty("member_id").GetString() ?? "", leader);
        }
        catch (HttpRequestException) { return null; }
    }

    private static string B64(string s) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(s));
}
