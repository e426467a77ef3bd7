using System.Text.Json;

namespace Consul.Tests.EndToEnd;

/// <summary>A `watches` entry in an agent config file runs its handler on every change.</summary>
public class ConfigWatchTests
{
    [Fact]
    public async Task KeyprefixWatchFromConfigRunsItsScriptHandler()
    {
        var dir = Directory.CreateTempSubdirectory("config-watch-").FullName;
        try
        {
            var output = Path.Combine(dir, "calls.log");
            var handler = Path.Combine(dir, "handler.sh");
            File.WriteAllText(handler, $"#!/bin/sh\nprintf 'index=%s ' \"$CONSUL_INDEX\" >> {output}\ncat >> {output}\n");
            File.SetUnixFileMode(handler, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var config = Path.Combine(dir, "watch.json");
            File.WriteAllText(config, JsonSerializer.Serialize(new
            {
                watches = new[] { new Dictionary<string, object> { ["type"] = "keyprefix", ["prefix"] = "app/", ["args"] = new[] { handler } } },
            }));

            await using var agent = await AgentProcess.StartDevAsync($"-config-file={config}");
            using var http = new HttpClient { BaseAddress = new Uri(agent.HttpAddr), Timeout = TimeSpan.FromSeconds(10) };
            using (var put = await http.PutAsync("/v1/kv/app/color", new StringContent("blue")))
                Assert.True(put.IsSuccessStatusCode);

            // The handler sees the prefix's entries as JSON on stdin, with CONSUL_INDEX set.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            var text = "";
            while (DateTime.UtcNow < deadline)
            {
                text = File.Exists(output) ? File.ReadAllText(output) : "";
                if (text.Contains("\"app/color\"")) break;
                await Task.Delay(100);
            }
            Assert.Contains("\"Key\":\"app/color\"", text);
            Assert.Contains("\"Value\":\"Ymx1ZQ==\"", text);
            Assert.Matches(@"index=[1-9][0-9]* ", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
