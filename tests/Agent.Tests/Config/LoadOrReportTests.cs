using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class LoadOrReportTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void UnknownFlagPrintsConsulErrorAndExitsOne()
    {
        var stderr = new StringWriter();
        var code = AgentConfigLoader.LoadOrReport(["-dev", "-foo"], stderr, out var config, null, _f.Options());
        Assert.Equal(1, code);
        Assert.Null(config);
        Assert.Equal("==> error parsing flags: flag provided but not defined: -foo" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void ConfigErrorIsPrefixed()
    {
        var stderr = new StringWriter();
        var code = AgentConfigLoader.LoadOrReport([], stderr, out _, null, _f.Options());
        Assert.Equal(1, code);
        Assert.Equal("==> data_dir cannot be empty" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void HelpPrintsUsage()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, AgentConfigLoader.LoadOrReport(["-h"], stderr, out _, null, _f.Options()));
        Assert.StartsWith("Usage: consul agent [options]", stderr.ToString());
        Assert.Contains("  -retry-join", stderr.ToString());
    }

    [Fact]
    public void SuccessReturnsZeroAndConfig()
    {
        var stderr = new StringWriter();
        Assert.Equal(0, AgentConfigLoader.LoadOrReport(["-dev"], stderr, out var config, null, _f.Options()));
        Assert.True(config!.Dev);
        Assert.Equal("", stderr.ToString());
    }
}
