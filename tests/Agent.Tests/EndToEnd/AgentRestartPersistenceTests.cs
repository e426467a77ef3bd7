using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Consul.Tests.EndToEnd;

/// <summary>
/// A server agent killed with SIGKILL and started again on its data dir still has the service
/// and TTL check registered through its HTTP API (Consul's data-dir persistence).
/// </summary>
public class AgentRestartPersistenceTests
{
    private const string Address = "127.0.0.90";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 180_000)]
    public async Task ApiServiceAndTtlCheckComeBackAfterSigkillAndRestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("persist-e2e-").FullName;
        string[] args = ["agent", "-server", "-bootstrap", $"-data-dir={dataDir}", $"-bind={Address}", $"-client={Address}", "-node=persist-node"];
        try
        {
            await using (var first = AgentProcess.Start(Address, args))
            {
                await first.WaitForLeaderAsync(Deadline);
                using var http = Client(first);
                await Put(http, "/v1/agent/service/register", """
                    {"ID": "web1", "Name": "web", "Port": 8080, "Tags": ["v1"],
                     "Check": {"CheckID": "web-ttl", "Name": "web ttl", "TTL": "10m"}}
                    """);
                await Put(http, "/v1/agent/check/pass/web-ttl?note=alive", "");
                await PollAsync(first, async () => (await CatalogServiceIds(http, "web")).Contains("web1"), "web1 in the catalog");
                Assert.Single(Directory.GetFiles(Path.Combine(dataDir, "services")));

                SignalSender.Send(first.Pid, SignalSender.SIGKILL);
                await PollAsync(first, () => Task.FromResult(first.HasExited), "exit after SIGKILL", expectExit: true);
            }

            await using var second = AgentProcess.Start(Address, args);
            await second.WaitForLeaderAsync(Deadline);
            using var http2 = Client(second);

            var services = await http2.GetFromJsonAsync<Dictionary<string, JsonElement>>("/v1/agent/services");
            Assert.True(services!.TryGetValue("web1", out var web), second.Output);
            Assert.Equal("web", web.GetProperty("Service").GetString());
            Assert.Equal(8080, web.GetProperty("Port").GetInt32());
            Assert.Equal(["v1"], web.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).ToArray());

            var checks = await http2.GetFromJsonAsync<Dictionary<string, JsonElement>>("/v1/agent/checks");
            Assert.True(checks!.TryGetValue("web-ttl", out var check), second.Output);
            Assert.Equal("web1", check.GetProperty("ServiceID").GetString());
            // The TTL (10m) has not run out, so the last status given before the kill is back.
            Assert.Equal("passing", check.GetProperty("Status").GetString());
            Assert.Equal("alive", check.GetProperty("Output").GetString());

            // The restored check runs again and anti-entropy carries it to the catalog.
            await Put(http2, "/v1/agent/check/warn/web-ttl?note=slow", "");
            await PollAsync(second, async () =>
            {
                var health = await http2.GetFromJsonAsync<JsonElement[]>("/v1/health/checks/web");
                return health!.Any(c => c.GetProperty("CheckID").GetString() == "web-ttl" && c.GetProperty("Status").GetString() == "warning");
            }, "web-ttl warning in the catalog");
            Assert.Contains("web1", await CatalogServiceIds(http2, "web"));

            // Deregistering removes the file: a further restart would not bring it back.
            await Put(http2, "/v1/agent/service/deregister/web1", "");
            Assert.Empty(Directory.GetFiles(Path.Combine(dataDir, "services")));
            Assert.Empty(Directory.GetFiles(Path.Combine(dataDir, "checks")));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static HttpClient Client(AgentProcess agent) =>
        new() { BaseAddress = new Uri(agent.HttpAddr), Timeout = TimeSpan.FromSeconds(10) };

    private static async Task Put(HttpClient http, string path, string body)
    {
        using var response = await http.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<List<string>> CatalogServiceIds(HttpClient http, string service)
    {
        var entries = await http.GetFromJsonAsync<JsonElement[]>($"/v1/catalog/service/{service}");
        return entries!.Select(e => e.GetProperty("ServiceID").GetString()!).ToList();
    }

    private static async Task PollAsync(AgentProcess agent, Func<Task<bool>> condition, string what, bool expectExit = false)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            if (!expectExit && agent.HasExited) throw new InvalidOperationException($"agent exited while waiting for {what}:\n{agent.Output}");
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"no {what} within {Deadline}:\n{agent.Output}");
    }
}
