using Microsoft.Extensions.Logging;
using System.Text.Json;
using Consul.Agent.Hosting;

namespace Consul.Tests.Logging;

public sealed class HclogJsonFormatterTests
{
    private static readonly DateTimeOffset Utc = new(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero);

    private static JsonElement Parse(string line)
    {
        Assert.DoesNotContain('\n', line);
        return JsonDocument.Parse(line).RootElement;
    }

    [Fact]
    public void LineHasHclogsFourFields()
    {
        var json = Parse(HclogJsonFormatter.Format(Utc.AddTicks(4560), LogLevel.Information, "agent.server", "New leader elected", null, []));

        Assert.Equal("info", json.GetProperty("@level").GetString());
        Assert.Equal("New leader elected", json.GetProperty("@message").GetString());
        Assert.Equal("agent.server", json.GetProperty("@module").GetString());
        Assert.Equal("2026-01-02T03:04:05.123456Z", json.GetProperty("@timestamp").GetString());
        Assert.Equal(4, json.EnumerateObject().Count());
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "error")]
    public void LevelNamesAreHclogs(LogLevel level, string name) =>
        Assert.Equal(name, Parse(HclogJsonFormatter.Format(Utc, level, "agent", "m", null, [])).GetProperty("@level").GetString());

    [Fact]
    public void TimestampKeepsANonUtcOffsetWithColon()
    {
        var local = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 7, TimeSpan.FromHours(-5.5));
        var json = Parse(HclogJsonFormatter.Format(local, LogLevel.Information, "agent", "m", null, []));
        Assert.Equal("2026-01-02T03:04:05.007000-05:30", json.GetProperty("@timestamp").GetString());
    }

    [Fact]
    public void StructuredValuesBecomeFieldsAndKeysAreSorted()
    {
        KeyValuePair<string, object?>[] fields =
        [
            new("{OriginalFormat}", "joined {node} with {count} peers"),
            new("node", "n1"),
            new("count", 3),
            new("healthy", true),
            new("Addr", null),
        ];
        var line = HclogJsonFormatter.Format(Utc, LogLevel.Debug, "agent.serf", "joined n1 with 3 peers", new IOException("disk full"), fields);
        var json = Parse(line);

        Assert.Equal("n1", json.GetProperty("node").GetString());
        Assert.Equal(3, json.GetProperty("count").GetInt32());
        Assert.True(json.GetProperty("healthy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("Addr").ValueKind);
        Assert.Equal("disk full", json.GetProperty("error").GetString());
        Assert.False(json.TryGetProperty("{OriginalFormat}", out _));
        // Go's encoding/json writes a map's keys in byte order.
        Assert.Equal(["@level", "@message", "@module", "@timestamp", "Addr", "count", "error", "healthy", "node"],
            json.EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public void ReservedKeysCannotBeOverwrittenByTemplateValues()
    {
        var json = Parse(HclogJsonFormatter.Format(Utc, LogLevel.Warning, "agent", "real", null, [new("@message", "fake")]));
        Assert.Equal("real", json.GetProperty("@message").GetString());
    }

    [Fact]
    public void FrameworkCategoriesGetTheSameModuleAsTextLines() =>
        Assert.Equal("agent.http", Parse(HclogJsonFormatter.Format(Utc, LogLevel.Warning, "Microsoft.AspNetCore.Server.Kestrel", "m", null, []))
            .GetProperty("@module").GetString());

    [Fact]
    public void TextLinesUseGoZoneFormat()
    {
        Assert.Equal("2026-01-02T03:04:05.123Z [INFO]  agent: hello", HclogFormatter.Format(Utc, LogLevel.Information, "agent", "hello", null));
        var plus2 = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.FromHours(2));
        Assert.Equal("2026-01-02T03:04:05.123+0200 [WARN]  agent.dns: x", HclogFormatter.Format(plus2, LogLevel.Warning, "agent.dns", "x", null));
    }
}
