using System.Text.Json;

namespace Consul.Bench.Cluster;

/// <summary>Consul.Web's HTTP API: PUT/GET /v1/kv, /v1/status/leader answering "ip:8300".</summary>
public sealed class ConsulKv : IKvSystem
{
    public string Name => "Consul.Web";

    public async Task<bool> PutAsync(HttpClient http, string node, string key, byte[] value, CancellationToken ct)
    {
        using var resp = await http.PutAsync($"{node}/v1/kv/{key}", new ByteArrayContent(value), ct);
        if (!resp.IsSuccessStatusCode) return false;
        return (await resp.Content.ReadAsStringAsync(ct)).Trim() == "true";
    }

    public async Task<bool> GetAsync(HttpClient http, string node, string key, string? mode, CancellationToken ct)
    {
        var query = mode is null ? "" : "?" + mode;
        using var resp = await http.GetAsync($"{node}/v1/kv/{key}{query}", HttpCompletionOption.ResponseContentRead, ct);
        return resp.IsSuccessStatusCode;
    }

    public async Task<byte[]?> LocalReadAsync(HttpClient http, string node, string key, CancellationToken ct)
    {
        try
        {
            using var resp = await http.GetAsync($"{node}/v1/kv/{key}?stale&raw", ct);
            return resp.IsSuccessStatusCode ? await resp.Content.ReadAsByteArrayAsync(ct) : null;
        }
        catch (HttpRequestException) { return null; }
    }

    public async Task<int> ReportedLeaderAsync(HttpClient http, string node, IReadOnlyList<string> nodes, CancellationToken ct)
    {
        try
        {
            var leader = JsonSerializer.Deserialize<string>(await http.GetStringAsync($"{node}/v1/status/leader", ct));
            if (string.IsNullOrEmpty(leader)) return -1;
            // "127.0.0.62:8300" → the node whose HTTP address has that host.
            var host = leader[..leader.LastIndexOf(':')];
            for (var i = 0; i < nodes.Count; i++)
                if (new Uri(nodes[i]).Host == host) return i;
            return -1;
        }
        catch (HttpRequestException) { return -1; }
    }
}
