using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Consul.Bench.Coordination;

/// <summary>The few agent HTTP calls the benchmark makes.</summary>
public sealed class AgentApi(HttpClient http)
{
    public async Task<string> CreateSessionAsync(string name, string lockDelay)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["Name"] = name, ["LockDelay"] = lockDelay });
        using var resp = await http.PutAsync("/v1/session/create", Json(body));
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("ID").GetString()!;
    }

    public async Task DestroySessionAsync(string id)
    {
        using var resp = await http.PutAsync($"/v1/session/destroy/{id}", null);
        resp.EnsureSuccessStatusCode();
    }

    /// <summary>PUT ?acquire= or ?release=; the agent answers true or false.</summary>
    public async Task<bool> LockVerbAsync(string key, string verb, string session)
    {
        using var resp = await http.PutAsync($"/v1/kv/{key}?{verb}={session}", new ByteArrayContent(Array.Empty<byte>()));
        resp.EnsureSuccessStatusCode();
        return (await resp.Content.ReadAsStringAsync()).Trim() == "true";
    }

    /// <summary>GET the key (blocking when index &gt; 0); returns its holder ("" when free) and X-Consul-Index.</summary>
    public async Task<(string Holder, ulong Index)> ReadLockAsync(string key, ulong index, string wait)
    {
        var url = index > 0 ? $"/v1/kv/{key}?index={index}&wait={wait}" : $"/v1/kv/{key}";
        using var resp = await http.GetAsync(url);
        var newIndex = ulong.Parse(resp.Headers.GetValues("X-Consul-Index").First());
        if (resp.StatusCode == System.Net.HttpStatusCode.NotFound) return ("", newIndex);
        resp.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await resp.Content.ReadAsStringAsync());
        var holder = doc.RootElement[0].TryGetProperty("Session", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "";
        return (holder, newIndex);
    }

    public async Task<bool> TxnAsync(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var resp = await http.PutAsync("/v1/txn", content);
        await resp.Content.ReadAsByteArrayAsync();
        return resp.IsSuccessStatusCode;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
