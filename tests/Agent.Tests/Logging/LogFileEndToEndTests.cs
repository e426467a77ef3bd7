using System.Text.Json;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Logging;

/// <summary>A real `consul agent -dev -log-file=dir/ -log-json` writes hclog JSON lines to dir/consul.log.</summary>
public sealed class LogFileEndToEndTests : IDisposable
{
    private readonly LogDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact(Timeout = 90_000)]
    public async Task DevAgentWritesJsonLinesToTheLogFile()
    {
        await using var agent = await AgentProcess.StartDevAsync($"-log-file={_dir.Path}/", "-log-json");
        var path = Path.Combine(_dir.Path, "consul.log");

        // The agent has a leader; its election lines reach the file as they are written (unbuffered).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] lines = [];
        while (DateTime.UtcNow < deadline)
        {
            lines = File.Exists(path) ? ReadShared(path).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
            if (lines.Length > 0) break;
            await Task.Delay(100);
        }

        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.Contains(json.GetProperty("@level").GetString(), new[] { "trace", "debug", "info", "warn", "error" });
            Assert.StartsWith("agent", json.GetProperty("@module").GetString());
            Assert.False(string.IsNullOrEmpty(json.GetProperty("@message").GetString()));
            Assert.True(DateTimeOffset.TryParse(json.GetProperty("@timestamp").GetString(), out _));
        }
        // The console shows the same JSON lines (after the banner).
        Assert.Contains("\"@level\":", agent.Output);
        Assert.Equal(["consul.log"], _dir.Files());
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}
