using System.Text.Json.Nodes;
using Consul.Tests.ClusterE2E;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Federation;

/// <summary>
/// Two datacenters as real processes: a dc1 server, a dc2 server and a dc1 client agent, the
/// servers joined over the WAN pool. Addresses 127.0.0.170–172 (not the brief's .150–.152, which
/// the Deploy suite's local-cluster script already uses). Started once per test class; disposal
/// kills every process by PID and removes the data dirs.
/// </summary>
public sealed class TwoDatacenters : IAsyncLifetime
{
    public const string Dc1Server = "127.0.0.170", Dc2Server = "127.0.0.171", Dc1Client = "127.0.0.172";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    private readonly string _root = Directory.CreateTempSubdirectory("consul-fed-").FullName;
    private readonly List<AgentProcess> _agents = [];
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static string Url(string address, string path) => $"http://{address}:8500{path}";

    public async Task InitializeAsync()
    {
        var fast = Path.Combine(_root, "fast.hcl");
        await File.WriteAllTextAsync(fast, "performance { raft_multiplier = 1 }\n");
        Start(Dc1Server, ["-server", "-bootstrap-expect=1", "-datacenter=dc1", $"-config-file={fast}",
            $"-retry-join-wan={Dc2Server}", "-retry-interval-wan=1s"]);
        Start(Dc2Server, ["-server", "-bootstrap-expect=1", "-datacenter=dc2", $"-config-file={fast}",
            $"-retry-join-wan={Dc1Server}", "-retry-interval-wan=1s"]);
        Start(Dc1Client, ["-datacenter=dc1", $"-retry-join={Dc1Server}", "-retry-interval=1s"]);

        foreach (var agent in _agents) await agent.WaitForLeaderAsync(Settle);
        await WaitUntilAsync("dc1's server sees dc2 over the WAN", async () =>
            (await JsonAsync(Dc1Server, "/v1/catalog/datacenters")).AsArray().Select(d => (string)d!).Contains("dc2"));
        await WaitUntilAsync("the client is in dc1's catalog", async () =>
            (await JsonAsync(Dc1Server, "/v1/catalog/nodes")).AsArray().Any(n => (string)n!["Node"]! == "client-dc1"));

        // One "web" instance per datacenter, on distinct nodes, so answers show where they came from.
        await Register(Dc1Server, "web-dc1-node", "10.1.0.1", "web", 8080, wan: null);
        await Register(Dc2Server, "web-dc2-node", "10.2.0.1", "web", 9090, wan: "192.0.2.21");
        await Register(Dc2Server, "db-dc2-node", "10.2.0.2", "db", 5432, wan: null);
    }

    private void Start(string address, string[] extra)
    {
        var name = address switch { Dc1Server => "server-dc1", Dc2Server => "server-dc2", _ => "client-dc1" };
        _agents.Add(AgentProcess.Start(address, ["agent", $"-node={name}", $"-bind={address}", $"-client={address}",
            $"-data-dir={Path.Combine(_root, name)}", .. extra]));
    }

    /// <summary>Registers an external node with one service straight in a datacenter's catalog.</summary>
    public async Task Register(string server, string node, string address, string service, int port, string? wan)
    {
        var tagged = wan is null ? "" : $$""","TaggedAddresses":{"wan":"{{wan}}"}""";
        var body = $$$"""{"Node":"{{{node}}}","Address":"{{{address}}}"{{{tagged}}},"Service":{"Service":"{{{service}}}","Port":{{{port}}}}}""";
        var (status, text) = await PutAsync(server, "/v1/catalog/register", body);
        Assert.True(status == 200, $"register {node} on {server}: {status} {text}");
    }

    public async Task<(int Status, string Body, HttpResponseMessage Response)> GetAsync(string address, string path)
    {
        var resp = await Http.GetAsync(Url(address, path));
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync(), resp);
    }

    public async Task<(int Status, string Body)> PutAsync(string address, string path, string body)
    {
        using var resp = await Http.PutAsync(Url(address, path), new StringContent(body));
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> PostAsync(string address, string path, string body)
    {
        using var resp = await Http.PostAsync(Url(address, path), new StringContent(body));
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> JsonAsync(string address, string path)
    {
        var (status, body, resp) = await GetAsync(address, path);
        resp.Dispose();
        if (status != 200) throw new InvalidOperationException($"{path} on {address}: {status} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Polls until the condition holds; on timeout fails with every agent's output.</summary>
    public Task WaitUntilAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        ProcessPoll.UntilAsync(what, timeout ?? Settle, condition, Logs);

    public string Logs() => string.Join("\n", _agents.Select(a =>
        $"---- {a.Address}\n{(a.Output.Length <= 4000 ? a.Output : a.Output[^4000..])}"));

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents) await agent.DisposeAsync();
        Http.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
