using System.Net.Http.Json;
using System.Text.Json;

namespace Consul.Tests.EndToEnd;

/// <summary>Consul's getting-started flow, verbatim, against a real `consul agent -dev` process.</summary>
public class TutorialFlowTests
{
    private const string ServiceBody = """
        {
          "ID": "web1",
          "Name": "web",
          "Tags": ["rails"],
          "Address": "127.0.0.1",
          "Port": 80,
          "EnableTagOverride": false,
          "Check": {
            "DeregisterCriticalServiceAfter": "90m",
            "HTTP": "http://127.0.0.1:1/health",
            "Interval": "10s"
          }
        }
        """;

    [Fact]
    public async Task TheTutorialWorksVerbatim()
    {
        await using var agent = await AgentProcess.StartDevAsync();
        using var http = new HttpClient { BaseAddress = new Uri(agent.HttpAddr), Timeout = TimeSpan.FromSeconds(10) };
        var env = new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = agent.HttpAddr };

        // curl --request PUT --data @web.json localhost:8500/v1/agent/service/register
        using (var put = await http.PutAsync("/v1/agent/service/register", new StringContent(ServiceBody)))
            Assert.Equal(200, (int)put.StatusCode);

        // curl localhost:8500/v1/catalog/service/web (anti-entropy makes it appear)
        JsonElement web = default;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            web = await http.GetFromJsonAsync<JsonElement>("/v1/catalog/service/web");
            if (web.GetArrayLength() == 1) break;
            await Task.Delay(100);
        }
        Assert.Equal(1, web.GetArrayLength());
        Assert.Equal("web1", web[0].GetProperty("ServiceID").GetString());
        Assert.Equal("rails", web[0].GetProperty("ServiceTags")[0].GetString());
        Assert.Equal(80, web[0].GetProperty("ServicePort").GetInt32());

        // curl 'localhost:8500/v1/health/service/consul?pretty'
        var consul = await http.GetStringAsync("/v1/health/service/consul?pretty");
        Assert.Contains("\n    {\n        \"Node\": {", consul);
        var entries = JsonDocument.Parse(consul).RootElement;
        Assert.Equal("consul", entries[0].GetProperty("Service").GetProperty("Service").GetString());
        Assert.Contains(entries[0].GetProperty("Checks").EnumerateArray(),
            c => c.GetProperty("CheckID").GetString() == "serfHealth" && c.GetProperty("Status").GetString() == "passing");

        // consul kv put user/config/connections 5
        var kvPut = await ConsulExe.RunAsync(["kv", "put", "user/config/connections", "5"], env);
        Assert.Equal(0, kvPut.ExitCode);
        Assert.Equal("Success! Data written to: user/config/connections", kvPut.Stdout.Trim());

        // consul kv get -detailed user/config/connections
        var kvGet = await ConsulExe.RunAsync(["kv", "get", "-detailed", "user/config/connections"], env);
        Assert.Equal(0, kvGet.ExitCode);
        var fields = kvGet.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1].Trim() : "");
        Assert.Equal("user/config/connections", fields["Key"]);
        Assert.Equal("5", fields["Value"]);
        Assert.Equal("0", fields["Flags"]);
        Assert.Equal("0", fields["LockIndex"]);

        // consul members
        var members = await ConsulExe.RunAsync(["members"], env);
        Assert.Equal(0, members.ExitCode);
        var lines = members.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Node", lines[0]);
        Assert.Contains("alive", lines[1]);
        Assert.Contains("server", lines[1]);
        Assert.Contains($"{agent.Address}:8301", lines[1]);
    }

    [Fact]
    public async Task DigFindsTheConsulService()
    {
        if (!File.Exists("/usr/bin/dig")) Assert.Fail("dig is not installed (.ci/run installs dnsutils)");
        await using var agent = await AgentProcess.StartDevAsync();
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/dig", ["@" + agent.Address, "-p", "8600", "consul.service.consul", "+short"])
        { RedirectStandardOutput = true };
        using var dig = System.Diagnostics.Process.Start(psi)!;
        var output = await dig.StandardOutput.ReadToEndAsync();
        Assert.True(dig.WaitForExit(20_000));
        Assert.Equal(agent.Address, output.Trim());
    }

    [Fact]
    public async Task SigtermShutsDownGracefully()
    {
        var agent = await AgentProcess.StartDevAsync();
        await using (agent)
        {
            var code = await agent.TerminateAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, code);
            Assert.Contains("Requesting shutdown", agent.Output);
        }
    }
}
