using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using Consul.Agent.Hosting;
using Consul.Tests.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Logging;

/// <summary>log_file through the logging pipeline: the provider's lines, and the agent host's wiring (level, format, errors).</summary>
public sealed class FileLoggingTests : IDisposable
{
    private readonly LogDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ProviderWritesStructuredValuesOfTheMessageTemplateAsJsonFields()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var file = new RotatingLogFile(_dir.Path + "/", TimeSpan.FromHours(24), 0, 0, time);
        file.Open();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new FileLoggerProvider(file, json: true, time))))
            factory.CreateLogger("agent.server.raft").LogInformation("entering leader state: leader={Leader} term={Term}", "n1", 7);

        var json = JsonDocument.Parse(_dir.Read("consul.log").TrimEnd('\n')).RootElement;
        Assert.Equal("entering leader state: leader=n1 term=7", json.GetProperty("@message").GetString());
        Assert.Equal("agent.server.raft", json.GetProperty("@module").GetString());
        Assert.Equal("2026-03-01T12:00:00.000000Z", json.GetProperty("@timestamp").GetString());
        Assert.Equal("n1", json.GetProperty("Leader").GetString());
        Assert.Equal(7, json.GetProperty("Term").GetInt32());
    }

    [Fact]
    public void ProviderWritesHclogTextWithoutLogJson()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var file = new RotatingLogFile(Path.Combine(_dir.Path, "agent.log"), TimeSpan.FromHours(24), 0, 0, time);
        file.Open();
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new FileLoggerProvider(file, json: false, time))))
            factory.CreateLogger("agent").LogWarning("Check is now critical: check={Check}", "web");

        Assert.Equal("2026-03-01T12:00:00.000Z [WARN]  agent: Check is now critical: check=web\n", _dir.Read("agent.log"));
    }

    private async Task<string> LogThroughAgentHost(bool json, string level)
    {
        var config = AgentTestHost.DefaultConfig() with { LogFile = _dir.Path + "/", LogJson = json, LogLevel = level };
        var app = AgentHost.Build(config, b => b.WebHost.UseTestServer());
        await using (app)
        {
            var factory = app.Services.GetRequiredService<ILoggerFactory>();
            var log = factory.CreateLogger("agent.test");
            log.LogDebug("debug line");
            log.LogInformation("info line");
            log.LogWarning("warn line");
            factory.CreateLogger("Microsoft.AspNetCore.Routing").LogInformation("framework chatter");
        }
        return _dir.Read("consul.log");
    }

    [Fact(Timeout = 30_000)]
    public async Task AgentHostWritesTheFileAtTheConfiguredLevel()
    {
        var text = await LogThroughAgentHost(json: false, level: "info");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("[INFO]  agent.test: info line", lines[0]);
        Assert.EndsWith("[WARN]  agent.test: warn line", lines[1]);
    }

    [Fact(Timeout = 30_000)]
    public async Task AgentHostWritesJsonLinesWithLogJson()
    {
        var text = await LogThroughAgentHost(json: true, level: "warn");
        var line = Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("warn", json.GetProperty("@level").GetString());
        Assert.Equal("warn line", json.GetProperty("@message").GetString());
        Assert.Equal("agent.test", json.GetProperty("@module").GetString());
    }

    [Fact]
    public void UnopenableLogFileStopsTheAgentLikeConsul()
    {
        var missing = Path.Combine(_dir.Path, "no-such-dir", "consul.log");
        var config = AgentTestHost.DefaultConfig() with { LogFile = missing };
        var e = Assert.Throws<InvalidOperationException>(() => AgentHost.Build(config, b => b.WebHost.UseTestServer()));
        Assert.Equal($"Failed to setup logging: open {missing}: no such file or directory", e.Message);
    }
}
