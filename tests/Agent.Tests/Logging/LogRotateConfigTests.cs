using Consul.Tests.Config;

namespace Consul.Tests.Logging;

public sealed class LogRotateConfigTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void DefaultsAreConsuls()
    {
        var c = _f.Load();
        Assert.Equal("", c.LogFile);
        Assert.False(c.LogJson);
        Assert.Equal(TimeSpan.FromHours(24), c.LogRotateDuration);
        Assert.Equal(0, c.LogRotateBytes);
        Assert.Equal(0, c.LogRotateMaxFiles);
    }

    [Fact]
    public void ConfigFileKeysAreRead()
    {
        var c = _f.LoadJson("""
            { "log_file": "/var/log/consul/", "log_json": true, "log_rotate_duration": "1h30m",
              "log_rotate_bytes": 1048576, "log_rotate_max_files": -1 }
            """);
        Assert.Equal("/var/log/consul/", c.LogFile);
        Assert.True(c.LogJson);
        Assert.Equal(TimeSpan.FromMinutes(90), c.LogRotateDuration);
        Assert.Equal(1048576, c.LogRotateBytes);
        Assert.Equal(-1, c.LogRotateMaxFiles);
    }

    [Fact]
    public void FlagsSetTheSameKeysAndWinOverFiles()
    {
        var c = _f.LoadJson("""{ "log_rotate_bytes": 5, "log_rotate_max_files": 9 }""",
            "-log-file=/tmp/agent.log", "-log-json", "-log-rotate-duration=10m", "-log-rotate-bytes", "2048", "-log-rotate-max-files=3");
        Assert.Equal("/tmp/agent.log", c.LogFile);
        Assert.True(c.LogJson);
        Assert.Equal(TimeSpan.FromMinutes(10), c.LogRotateDuration);
        Assert.Equal(2048, c.LogRotateBytes);
        Assert.Equal(3, c.LogRotateMaxFiles);
    }

    [Fact]
    public void ZeroDurationMeansTheDefault() =>
        Assert.Equal(TimeSpan.FromHours(24), _f.Load("-log-rotate-duration=0s").LogRotateDuration);

    [Fact]
    public void BadDurationIsAnError() =>
        Assert.Contains("log_rotate_duration: invalid duration: \"soon\"", _f.Error("-log-rotate-duration=soon"));
}
