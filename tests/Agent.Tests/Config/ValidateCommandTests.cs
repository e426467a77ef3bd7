using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = ValidateCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string ValidFile() => _f.Write("ok.json", $$"""{ "data_dir": "{{_f.DataDir}}", "bind_addr": "127.0.0.2", "server": true, "bootstrap_expect": 3 }""");

    [Fact]
    public void ValidConfigPrintsSuccess()
    {
        var (code, stdout, stderr) = Run(ValidFile());
        Assert.Equal(0, code);
        Assert.Equal("Configuration is valid!" + Environment.NewLine, stdout);
        Assert.Equal("", stderr);
        Assert.False(File.Exists(Path.Combine(_f.DataDir, "node-id")));
    }

    [Fact]
    public void QuietPrintsNothing()
    {
        var (code, stdout, _) = Run("-quiet", ValidFile());
        Assert.Equal(0, code);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void AcceptsDirectories()
    {
        _f.Write("conf/a.json", $$"""{ "data_dir": "{{_f.DataDir}}" }""");
        _f.Write("conf/b.json", """{ "bind_addr": "127.0.0.2" }""");
        Assert.Equal(0, Run(Path.Combine(_f.Dir, "conf")).Code);
    }

    [Fact]
    public void InvalidConfigPrintsErrorAndFails()
    {
        var bad = _f.Write("bad.json", """{ "foo": 1 }""");
        var (code, stdout, stderr) = Run(bad);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal($"Config validation failed: failed to parse {bad}: 1 error occurred:\n\t* invalid config key foo" + Environment.NewLine, stderr);
    }

    [Fact]
    public void FullValidationRequiresDataDir()
    {
        var f = _f.Write("nodata.json", """{ "bind_addr": "127.0.0.2" }""");
        var (code, _, stderr) = Run(f);
        Assert.Equal(1, code);
        Assert.Equal("Config validation failed: data_dir cannot be empty" + Environment.NewLine, stderr);
    }

    [Fact]
    public void RequiresAPath()
    {
        var (code, _, stderr) = Run();
        Assert.Equal(1, code);
        Assert.Equal("Must specify at least one config file or directory" + Environment.NewLine, stderr);
    }

    [Fact]
    public void ChecksConfigFormat()
    {
        var (code, _, stderr) = Run("-config-format=yaml", ValidFile());
        Assert.Equal(1, code);
        Assert.Equal("-config-format must be either 'hcl' or 'json" + Environment.NewLine, stderr);
        var conf = _f.Write("agent.conf", $$"""{ "data_dir": "{{_f.DataDir}}", "bind_addr": "127.0.0.2" }""");
        Assert.Equal(0, Run("-config-format", "json", conf).Code);
    }

    [Fact]
    public void UnknownFlag()
    {
        var (code, _, stderr) = Run("-verbose", ValidFile());
        Assert.Equal(1, code);
        Assert.Equal("flag provided but not defined: -verbose" + Environment.NewLine, stderr);
    }
}
