using System.Net.Http.Json;
using System.Text.Json;

namespace Consul.Tests.EndToEnd;

/// <summary>`consul reload` re-reads config files: new services appear, removed ones go.</summary>
public class ReloadTests
{
    [Fact]
    public async Task ReloadRegistersNewAndRemovesDroppedConfigServices()
    {
        var dir = Directory.CreateTempSubdirectory("reload-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.json"), """{"service": {"name": "alpha", "port": 1001}}""");
            await using var agent = await AgentProcess.StartDevAsync($"-config-dir={dir}");
            using var http = new HttpClient { BaseAddress = new Uri(agent.HttpAddr), Timeout = TimeSpan.FromSeconds(10) };
            var env = new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = agent.HttpAddr };

            Assert.Equal(["alpha"], await ServiceIds(http));

            File.Delete(Path.Combine(dir, "a.json"));
            File.WriteAllText(Path.Combine(dir, "b.json"), """{"services": [{"name": "beta", "port": 1002}]}""");
            var reload = await ConsulExe.RunAsync(["reload"], env);
            Assert.Equal(0, reload.ExitCode);
            Assert.Equal("Configuration reload triggered", reload.Stdout.Trim());

            Assert.Equal(["beta"], await ServiceIds(http));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<List<string>> ServiceIds(HttpClient http)
    {
        var services = await http.GetFromJsonAsync<Dictionary<string, JsonElement>>("/v1/agent/services");
        return services!.Keys.Order().ToList();
    }
}
