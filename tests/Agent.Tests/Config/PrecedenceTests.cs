using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class PrecedenceTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void LaterFileOverridesEarlierAndFlagOverridesBoth()
    {
        var a = _f.Write("a.json", """{ "datacenter": "one", "node_name": "from-a", "log_level": "warn" }""");
        var b = _f.Write("b.json", """{ "datacenter": "two", "node_name": "from-b" }""");
        var cfg = _f.Load("-config-file=" + a, "-config-file=" + b, "-node=from-flag");
        Assert.Equal("two", cfg.Datacenter);
        Assert.Equal("from-flag", cfg.NodeName);
        Assert.Equal("warn", cfg.LogLevel);
    }

    [Fact]
    public void FlagBeforeConfigFileStillWins()
    {
        var a = _f.Write("a.json", """{ "ports": { "http": 1111 } }""");
        Assert.Equal(2222, _f.Load("-http-port=2222", "-config-file=" + a).Ports.Http);
    }

    [Fact]
    public void ListsAppendAcrossSourcesWithFlagValuesFirst()
    {
        var a = _f.Write("a.json", """{ "retry_join": ["a1", "a2"], "recursors": ["9.9.9.9"] }""");
        var b = _f.Write("b.json", """{ "retry_join": ["b1"] }""");
        var cfg = _f.Load("-config-file=" + a, "-retry-join=flag", "-config-file=" + b);
        Assert.Equal(["flag", "a1", "a2", "b1"], cfg.RetryJoin);
        Assert.Equal(["9.9.9.9"], cfg.Recursors);
    }

    [Fact]
    public void NestedObjectsMergeKeyByKey()
    {
        var a = _f.Write("a.json", """{ "ports": { "http": 1111, "dns": 1112 }, "dns_config": { "node_ttl": "5s" } }""");
        var b = _f.Write("b.json", """{ "ports": { "dns": 2112 }, "dns_config": { "only_passing": true } }""");
        var cfg = _f.Load("-config-file=" + a, "-config-file=" + b);
        Assert.Equal(1111, cfg.Ports.Http);
        Assert.Equal(2112, cfg.Ports.Dns);
        Assert.Equal(TimeSpan.FromSeconds(5), cfg.Dns.NodeTtl);
        Assert.True(cfg.Dns.OnlyPassing);
    }

    [Fact]
    public void MapsOverlayAcrossSources()
    {
        var a = _f.Write("a.json", """{ "node_meta": { "rack": "r1", "zone": "z1" } }""");
        var cfg = _f.Load("-config-file=" + a, "-node-meta=rack:r2");
        Assert.Equal("r2", cfg.NodeMeta["rack"]);
        Assert.Equal("z1", cfg.NodeMeta["zone"]);
    }

    [Fact]
    public void ConfigDirLoadsJsonFilesInNameOrderNotRecursively()
    {
        _f.Write("conf/20-b.json", """{ "node_name": "b", "retry_join": ["b"] }""");
        _f.Write("conf/10-a.json", """{ "node_name": "a", "retry_join": ["a"] }""");
        _f.Write("conf/30-c.txt", """not config""");
        _f.Write("conf/sub/99-z.json", """{ "node_name": "z" }""");
        var cfg = _f.Load("-config-dir=" + Path.Combine(_f.Dir, "conf"));
        Assert.Equal("b", cfg.NodeName);
        Assert.Equal(["a", "b"], cfg.RetryJoin);
        Assert.Contains(cfg.Warnings, w => w.StartsWith("skipping file ", StringComparison.Ordinal) && w.EndsWith("30-c.txt, extension must be .hcl or .json, or config format must be set", StringComparison.Ordinal));
        Assert.Equal(["default", Path.Combine(_f.Dir, "conf", "10-a.json"), Path.Combine(_f.Dir, "conf", "20-b.json"), "flags"], cfg.ConfigSources);
    }

    [Fact]
    public void ConfigFileAndDirAreReadInCommandLineOrder()
    {
        _f.Write("conf/a.json", """{ "node_name": "dir" }""");
        var file = _f.Write("file.json", """{ "node_name": "file" }""");
        Assert.Equal("file", _f.Load("-config-dir=" + Path.Combine(_f.Dir, "conf"), "-config-file=" + file).NodeName);
        Assert.Equal("dir", _f.Load("-config-file=" + file, "-config-dir=" + Path.Combine(_f.Dir, "conf")).NodeName);
    }

    [Fact]
    public void ConfigFormatAllowsOtherExtensions()
    {
        var f = _f.Write("agent.conf", """{ "node_name": "conf" }""");
        Assert.Equal("conf", _f.Load("-config-format=json", "-config-file=" + f).NodeName);
    }

    [Fact]
    public void UnknownExtensionOnExplicitFileIsAnError()
    {
        var f = _f.Write("agent.conf", "{}");
        Assert.Equal($"file {f} has unknown extension; must be .hcl or .json, or config format must be set", _f.Error("-config-file=" + f));
    }

    [Fact]
    public void MissingConfigFileIsAnError()
    {
        var f = Path.Combine(_f.Dir, "missing.json");
        Assert.Equal($"config: Open failed on {f}. open {f}: no such file or directory", _f.Error("-config-file=" + f));
    }

    [Fact]
    public void EmptyFileIsSkipped()
    {
        var f = _f.Write("empty.json", "");
        var cfg = _f.Load("-config-file=" + f);
        Assert.DoesNotContain(f, cfg.ConfigSources);
    }

    [Fact]
    public void DevDefaultsCanBeOverriddenByFilesAndFlags()
    {
        var f = _f.Write("a.json", """{ "log_level": "info", "ports": { "grpc": 9502 } }""");
        var cfg = _f.Load("-dev", "-config-file=" + f, "-bind=127.0.0.9");
        Assert.Equal("info", cfg.LogLevel);
        Assert.Equal(9502, cfg.Ports.Grpc);
        Assert.Equal("127.0.0.9", cfg.BindAddr);
        Assert.Equal(["default", "dev", f, "flags"], cfg.ConfigSources);
    }

    [Fact]
    public void EnvironmentIsNotConsulted()
    {
        var env = new Dictionary<string, string?> { ["CONSUL_HTTP_ADDR"] = "127.0.0.1:9999", ["CONSUL_BIND_INTERFACE"] = "eth0" };
        var cfg = AgentConfigLoader.Load(["-dev"], env, _f.Options());
        Assert.Equal(8500, cfg.Ports.Http);
        Assert.Equal("127.0.0.1", cfg.BindAddr);
    }
}
