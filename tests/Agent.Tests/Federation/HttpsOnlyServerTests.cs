using Consul.Tests.ClusterE2E;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Federation;

/// <summary>
/// A datacenter whose server has no plain HTTP listener (ports.http = -1) still answers requests
/// forwarded from another datacenter: they run on the server's private socket, not on its public
/// listeners. Real processes on 127.0.0.180–181.
/// </summary>
public sealed class HttpsOnlyServerTests
{
    [Fact(Timeout = 150_000)]
    public async Task A_server_without_an_http_listener_serves_forwarded_requests()
    {
        const string dc1 = "127.0.0.180", dc2 = "127.0.0.181";
        var root = Directory.CreateTempSubdirectory("consul-nohttp-").FullName;
        await using var a = AgentProcess.Start(dc1, ["agent", "-server", "-bootstrap-expect=1", "-datacenter=dc1", "-node=fwd-a",
            $"-bind={dc1}", $"-client={dc1}", $"-data-dir={Path.Combine(root, "a")}", $"-retry-join-wan={dc2}", "-retry-interval-wan=1s"]);
        await using var b = AgentProcess.Start(dc2, ["agent", "-server", "-bootstrap-expect=1", "-datacenter=dc2", "-node=fwd-b",
            $"-bind={dc2}", $"-client={dc2}", $"-data-dir={Path.Combine(root, "b")}", $"-retry-join-wan={dc1}", "-retry-interval-wan=1s",
            "-http-port=-1"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        try
        {
            await a.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
            string last = "";
            await ProcessPoll.UntilAsync("a write into dc2 through dc1", TimeSpan.FromSeconds(90), async () =>
            {
                using var put = await http.PutAsync($"http://{dc1}:8500/v1/kv/where?dc=dc2", new StringContent("dc2"));
                last = $"{(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}";
                return last.Trim() == "200 true";
            }, () => $"last answer: {last}\n---- dc1\n{a.Output}\n---- dc2\n{b.Output}");
            Assert.Equal("dc2", await http.GetStringAsync($"http://{dc1}:8500/v1/kv/where?dc=dc2&raw"));
            // Only dc2 has the key: the request really crossed over.
            using var local = await http.GetAsync($"http://{dc1}:8500/v1/kv/where");
            Assert.Equal(404, (int)local.StatusCode);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
