using Consul.Tests.EndToEnd;

namespace Consul.Tests.Tls;

/// <summary>
/// Two datacenters whose servers verify each other (verify_server_hostname) on 127.0.0.175–176:
/// a request for dc2 sent to dc1's server crosses over mutual TLS, where dc2's server must show a
/// certificate for server.dc2.consul, not for dc1's name.
/// </summary>
[Collection(TlsProcesses.Name)]
public sealed class CrossDatacenterTlsTests : IAsyncLifetime
{
    private const string Dc1 = "127.0.0.175", Dc2 = "127.0.0.176";
    private readonly TlsWorkDir _dir = new();
    private readonly List<AgentProcess> _agents = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        await _dir.ConsulOk("", "tls", "ca", "create");
        await _dir.ConsulOk("", "tls", "cert", "create", "-server", "-dc=dc1");
        await _dir.ConsulOk("", "tls", "cert", "create", "-server", "-dc=dc2");
    }

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    private void StartServer(string dc, string address, string peer)
    {
        var config = _dir.Write(dc + ".hcl", $$"""
            performance { raft_multiplier = 1 }
            tls {
              defaults { ca_file = "{{_dir["consul-agent-ca.pem"]}}", cert_file = "{{_dir[dc + "-server-consul-0.pem"]}}", key_file = "{{_dir[dc + "-server-consul-0-key.pem"]}}" }
              internal_rpc { verify_incoming = true, verify_outgoing = true, verify_server_hostname = true }
            }
            """);
        _agents.Add(AgentProcess.Start(address, ["agent", "-server", "-bootstrap-expect=1", $"-datacenter={dc}", $"-node=server-{dc}",
            $"-bind={address}", $"-client={address}", $"-data-dir={_dir["data-" + dc]}", $"-config-file={config}",
            $"-retry-join-wan={peer}", "-retry-interval-wan=1s"]));
    }

    private string Logs() => string.Join("\n", _agents.Select(a => $"---- {a.Address}\n{(a.Output.Length > 5000 ? a.Output[^5000..] : a.Output)}"));

    [Fact(Timeout = 150_000)]
    public async Task A_request_for_the_other_datacenter_crosses_over_mutual_tls()
    {
        StartServer("dc1", Dc1, Dc2);
        StartServer("dc2", Dc2, Dc1);
        foreach (var a in _agents) await a.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        using (var put = await _http.PutAsync($"http://{Dc2}:8500/v1/kv/where", new StringContent("dc2")))
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());

        string last = "";
        await TlsWorkDir.WaitUntil("dc2's key read through dc1", TimeSpan.FromSeconds(60), async () =>
        {
            using var get = await _http.GetAsync($"http://{Dc1}:8500/v1/kv/where?dc=dc2&raw");
            last = $"{(int)get.StatusCode} {await get.Content.ReadAsStringAsync()}";
            return last == "200 dc2";
        }, () => $"last answer: {last}\n{Logs()}");
        Assert.DoesNotContain("refusing server", string.Concat(_agents.Select(a => a.Output)), StringComparison.Ordinal);
    }
}
