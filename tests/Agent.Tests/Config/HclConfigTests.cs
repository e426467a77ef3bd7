using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class HclConfigTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void ReadsATypicalServerConfig()
    {
        var file = _f.Write("server.hcl", $$"""
            # a Consul server
            datacenter = "east"
            data_dir   = "{{_f.DataDir}}"
            bind_addr  = "127.0.0.2"
            client_addr = "127.0.0.1"
            log_level = "DEBUG" // trailing comment
            server = true
            bootstrap_expect = 3
            ui_config {
              enabled = true
            }
            ports = {
              grpc  = -1
              https = -1
              dns   = 8653
            }
            /* block
               comment */
            retry_join = ["127.0.0.3", "127.0.0.4",]
            acl = {
              enabled = true
              default_policy = "deny"
              tokens {
                initial_management = "9ce1358e"
              }
            }
            node_meta {
              rack = "r1"
            }
            """);
        var cfg = _f.Load("-config-file=" + file);
        Assert.Equal("east", cfg.Datacenter);
        Assert.Equal("DEBUG", cfg.LogLevel);
        Assert.True(cfg.Server);
        Assert.Equal(3, cfg.BootstrapExpect);
        Assert.True(cfg.UiEnabled);
        Assert.Equal((-1, -1, 8653), (cfg.Ports.Grpc, cfg.Ports.Https, cfg.Ports.Dns));
        Assert.Equal(["127.0.0.3", "127.0.0.4"], cfg.RetryJoin);
        Assert.True(cfg.Acl.Enabled);
        Assert.Equal("deny", cfg.Acl.DefaultPolicy);
        Assert.Equal("9ce1358e", cfg.Acl.Tokens.InitialManagement);
        Assert.Equal("r1", cfg.NodeMeta["rack"]);
    }

    [Fact]
    public void CoordinateAndWanTranslationKeys()
    {
        var defaults = _f.Load();
        Assert.Equal((TimeSpan.FromSeconds(15), 64.0, false, false),
            (defaults.SyncCoordinateIntervalMin, defaults.SyncCoordinateRateTarget, defaults.DisableCoordinates, defaults.TranslateWanAddrs));
        var file = _f.Write("coord.hcl", """
            sync_coordinate_interval_min = "2s"
            sync_coordinate_rate_target = 8.5
            translate_wan_addrs = true
            """);
        var cfg = _f.Load("-config-file=" + file);
        Assert.Equal((TimeSpan.FromSeconds(2), 8.5, true), (cfg.SyncCoordinateIntervalMin, cfg.SyncCoordinateRateTarget, cfg.TranslateWanAddrs));
    }

    [Fact]
    public void RepeatedServiceBlocksBecomeServices()
    {
        var file = _f.Write("svc.hcl", """
            service {
              name = "web"
              port = 80
              tags = ["a"]
              check {
                id = "web-http"
                http = "http://localhost/health"
                interval = "10s"
              }
            }
            service {
              name = "db"
              port = 5432
            }
            """);
        var cfg = _f.Load("-config-file=" + file, "-bind=127.0.0.2");
        Assert.Equal(["web", "db"], cfg.Services.Select(s => s.Name));
        Assert.Equal("web-http", Assert.Single(cfg.Services[0].Checks!).ID);
    }

    [Fact]
    public void HeredocAndEscapes()
    {
        var file = _f.Write("h.hcl", "node_name = \"a\\\"b\"\nencrypt = <<EOF\npUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=\nEOF\n");
        var tree = HclConfigReader.Parse(File.ReadAllText(file));
        Assert.Equal("a\"b", tree["node_name"]);
        Assert.Equal("pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=\n", tree["encrypt"]);
    }

    [Fact]
    public void HclFlagFragmentsApplyLast()
    {
        var file = _f.Write("a.json", """{ "node_name": "from-file" }""");
        var cfg = _f.Load("-hcl", "node_name = \"from-hcl\"", "-config-file=" + file, "-node=from-flag", "-hcl=ports { http = 7500 }");
        Assert.Equal("from-hcl", cfg.NodeName);
        Assert.Equal(7500, cfg.Ports.Http);
        Assert.Contains("flags-0.hcl", cfg.ConfigSources);
        Assert.Contains("flags-1.hcl", cfg.ConfigSources);
    }

    [Fact]
    public void ConfigDirReadsHclAndJsonTogether()
    {
        _f.Write("d/1.hcl", "node_name = \"one\"\nretry_join = [\"a\"]");
        _f.Write("d/2.json", """{ "retry_join": ["b"] }""");
        var cfg = _f.Load("-config-dir=" + Path.Combine(_f.Dir, "d"));
        Assert.Equal("one", cfg.NodeName);
        Assert.Equal(["a", "b"], cfg.RetryJoin);
    }

    [Fact]
    public void UnknownHclKeyIsNamed()
    {
        var file = _f.Write("bad.hcl", "ports { htp = 1 }");
        Assert.Equal($"failed to parse {file}: 1 error occurred:\n\t* invalid config key ports.htp", _f.Error("-config-file=" + file));
    }

    [Theory]
    [InlineData("*** 0123 this is not HCL", "At 1:1: expected: IDENT | STRING got: ILLEGAL *")]
    [InlineData("a = \"unterminated", "At 1:5: literal not terminated")]
    [InlineData("a = [1, 2", "At 1:10: list expected comma or closing RBRACK")]
    [InlineData("a {\n b = 1\n", "At 3:1: object expected closing RBRACE got: EOF")]
    [InlineData("a = nope", "At 1:5: Unknown token: IDENT nope")]
    public void SyntaxErrorsNameTheFileAndPosition(string hcl, string detail)
    {
        var file = _f.Write($"s{Guid.NewGuid():N}.hcl", hcl);
        Assert.Equal($"failed to parse {file}: {detail}", _f.Error("-config-file=" + file));
    }
}
