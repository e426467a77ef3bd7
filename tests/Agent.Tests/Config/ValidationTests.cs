using Consul.Agent.Config;

namespace Consul.Tests.Config;

/// <summary>Every start-up error, with Consul's wording. "{file}" stands for the config file path.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    private void AssertJsonError(string json, string expected, params string[] args)
    {
        var path = _f.Write($"x{Guid.NewGuid():N}.json", json);
        var message = _f.Error(["-config-file=" + path, .. args]);
        Assert.Equal(expected.Replace("{file}", path, StringComparison.Ordinal), message);
    }

    [Theory]
    [InlineData("""{ "foo": 1 }""", "failed to parse {file}: 1 error occurred:\n\t* invalid config key foo")]
    [InlineData("""{ "ports": { "htp": 1 } }""", "failed to parse {file}: 1 error occurred:\n\t* invalid config key ports.htp")]
    [InlineData("""{ "b": 1, "a": 2 }""", "failed to parse {file}: 2 errors occurred:\n\t* invalid config key a\n\t* invalid config key b")]
    [InlineData("""{ "service": { "name": "web", "bogus": 1 } }""", "failed to parse {file}: 1 error occurred:\n\t* invalid config key service.bogus")]
    [InlineData("""{ "services": [ { "name": "web" }, { "name": "db", "checks": [ { "nope": 1 } ] } ] }""", "failed to parse {file}: 1 error occurred:\n\t* invalid config key services[1].checks[0].nope")]
    [InlineData("""{ "Datacenter": "dc2", "dataDir": "/x" }""", "failed to parse {file}: 1 error occurred:\n\t* invalid config key dataDir")]
    public void UnknownKeysAreNamed(string json, string expected) => AssertJsonError(json, expected);

    [Theory]
    [InlineData("""{ "ports": { "http": "abc" } }""", "failed to parse {file}: 1 error(s) decoding:\n\n* 'ports.http' expected type 'int', got unconvertible type 'string', value: 'abc'")]
    [InlineData("""{ "server": "yes" }""", "failed to parse {file}: 1 error(s) decoding:\n\n* 'server' expected type 'bool', got unconvertible type 'string', value: 'yes'")]
    [InlineData("""{ "datacenter": 5 }""", "failed to parse {file}: 1 error(s) decoding:\n\n* 'datacenter' expected type 'string', got unconvertible type 'float64', value: '5'")]
    [InlineData("""{ "retry_join": "10.0.0.1" }""", "failed to parse {file}: 1 error(s) decoding:\n\n* 'retry_join': source data must be an array or slice, got string")]
    [InlineData("""{ "ports": 8500 }""", "failed to parse {file}: 1 error(s) decoding:\n\n* 'ports' expected a map, got 'float64'")]
    [InlineData("""[1, 2]""", "failed to parse {file}: json: cannot unmarshal array into Go value of type map[string]interface {}")]
    public void WrongTypesAreReportedLikeConsul(string json, string expected) => AssertJsonError(json, expected);

    [Theory]
    [InlineData("this is not JSON", "invalid character 'h' in literal true (expecting 'r')")]
    [InlineData("""{ "a": 1, }""", "invalid character '}' looking for beginning of object key string")]
    [InlineData("""{ "a" 1 }""", "invalid character '1' after object key")]
    [InlineData("""{ "a": 1 "b": 2 }""", "invalid character '\"' after object key:value pair")]
    [InlineData("""{ "a": [1 2] }""", "invalid character '2' after array element")]
    [InlineData("""{ "a": 1""", "unexpected end of JSON input")]
    [InlineData("""{ "a": 1 }}""", "invalid character '}' after top-level value")]
    [InlineData("""{ "a": nope }""", "invalid character 'o' in literal null (expecting 'u')")]
    public void JsonSyntaxErrorsUseGoWording(string json, string detail)
    {
        var path = _f.Write($"j{Guid.NewGuid():N}.json", json);
        Assert.Equal($"failed to parse {path}: {detail}", _f.Error("-config-file=" + path));
    }

    [Fact]
    public void InvalidJsonNamesTheFile()
    {
        var path = _f.Write("bad.json", "this is not JSON");
        Assert.StartsWith($"failed to parse {path}: ", _f.Error("-config-file=" + path));
    }

    [Fact]
    public void OneElementListStandsForAnObject()
    {
        var cfg = _f.LoadJson("""{ "ports": [ { "http": 7500 } ], "datacenter": ["east"] }""");
        Assert.Equal(7500, cfg.Ports.Http);
        Assert.Equal("east", cfg.Datacenter);
    }

    [Fact]
    public void DataDirIsRequiredOutsideDevMode()
    {
        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load([], null, _f.Options()));
        Assert.Equal("data_dir cannot be empty", e.Message);
    }

    [Fact]
    public void DataDirMustBeADirectory()
    {
        var file = _f.Write("file", "x");
        Assert.Equal($"data_dir \"{file}\" is not a directory", _f.Error("-data-dir=" + file));
    }

    [Theory]
    [InlineData("""{ "server": true, "bootstrap": true, "bootstrap_expect": 3 }""", "'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive")]
    [InlineData("""{ "bootstrap": true }""", "'bootstrap = true' requires 'server = true'")]
    [InlineData("""{ "bootstrap_expect": 3 }""", "'bootstrap_expect > 0' requires 'server = true'")]
    [InlineData("""{ "bootstrap_expect": -1 }""", "bootstrap_expect cannot be -1. Must be greater than or equal to zero")]
    [InlineData("""{ "datacenter": "%" }""", "datacenter can only contain lowercase alphanumeric, - or _ characters. received: \"%\"")]
    [InlineData("""{ "datacenter": "" }""", "datacenter cannot be empty")]
    [InlineData("""{ "primary_datacenter": "a b" }""", "primary_datacenter can only contain lowercase alphanumeric, - or _ characters. received: \"a b\"")]
    [InlineData("""{ "ports": { "server": 0 } }""", "server-port must be greater than zero")]
    [InlineData("""{ "ports": { "serf_lan": -1 } }""", "serf-lan-port must be greater than zero")]
    [InlineData("""{ "advertise_addr": "0.0.0.0" }""", "Advertise address cannot be 0.0.0.0, :: or [::]")]
    [InlineData("""{ "advertise_addr_wan": "::" }""", "Advertise WAN address cannot be 0.0.0.0, :: or [::]")]
    [InlineData("""{ "addresses": { "dns": "unix:///foo" } }""", "DNS address cannot be a unix socket")]
    [InlineData("""{ "recursors": ["::"] }""", "DNS recursor address cannot be 0.0.0.0, :: or [::]")]
    [InlineData("""{ "recursors": ["unix:///x"] }""", "DNS Recursors cannot be unix sockets: unix:///x")]
    [InlineData("""{ "alt_domain": "service.consul." }""", "alt_domain cannot start with {service,connect,node,query,addr,dc1}")]
    [InlineData("""{ "performance": { "raft_multiplier": 0 } }""", "performance.raft_multiplier cannot be 0. Must be between 1 and 10")]
    [InlineData("""{ "performance": { "raft_multiplier": 11 } }""", "performance.raft_multiplier cannot be 11. Must be between 1 and 10")]
    [InlineData("""{ "raft_protocol": 2 }""", "raft_protocol version 2 is not supported by this version of Consul")]
    [InlineData("""{ "ui_config": { "enabled": true, "dir": "/ui" } }""", "Both the ui_config.enabled and ui_config.dir (or -ui and -ui-dir) were specified, please provide only one.\nIf trying to use your own web UI resources, use ui_config.dir or the -ui-dir flag.\nThe web UI is included in the binary so use ui_config.enabled or the -ui flag to enable it")]
    [InlineData("""{ "ui_config": { "content_path": "my ui" } }""", "ui-content-path can only contain alphanumeric, -, _, or /. received: \"/my ui/\"")]
    [InlineData("""{ "ui_config": { "content_path": "v1" } }""", "ui-content-path cannot have 'v[0-9]'. received: \"/v1/\"")]
    [InlineData("""{ "dns_config": { "udp_answer_limit": -1 } }""", "dns_config.udp_answer_limit cannot be -1. Must be greater than or equal to zero")]
    [InlineData("""{ "dns_config": { "a_record_limit": -1 } }""", "dns_config.a_record_limit cannot be -1. Must be greater than or equal to zero")]
    [InlineData("""{ "autopilot": { "max_trailing_logs": -1 } }""", "autopilot.max_trailing_logs cannot be -1. Must be greater than or equal to zero")]
    [InlineData("""{ "check_output_max_size": 0 }""", "check_output_max_size must be positive, to discard check output use the discard_check_output flag")]
    [InlineData("""{ "node_meta": { "bad key": "x" } }""", "node_meta invalid: Key contains invalid characters")]
    [InlineData("""{ "node_meta": { "consul-x": "x" } }""", "node_meta invalid: Key prefix 'consul-' is reserved for internal use")]
    [InlineData("""{ "encrypt": "!!!!" }""", "encrypt has invalid key: illegal base64 data at input byte 0")]
    [InlineData("""{ "encrypt": "this is not a valid key" }""", "encrypt has invalid key: illegal base64 data at input byte 4")]
    [InlineData("""{ "client_addr": "1.2.3.4", "ports": { "http": 1000, "https": 1000 } }""", "HTTPS address 1.2.3.4:1000 already configured for HTTP")]
    [InlineData("""{ "addresses": { "http": "127.0.0.2" }, "ports": { "http": 1000, "server": 1000 } }""", "RPC Advertise address 127.0.0.2:1000 already configured for HTTP")]
    [InlineData("""{ "ports": { "server": 1000, "serf_wan": 1000 } }""", "Serf Advertise WAN address 127.0.0.2:1000 already configured for RPC Advertise")]
    [InlineData("""{ "tls": { "defaults": { "verify_server_hostname": true } } }""", "verify_server_hostname is only valid in the tls.internal_rpc stanza")]
    [InlineData("""{ "tls": { "grpc": { "verify_outgoing": true } } }""", "verify_outgoing is not valid in the tls.grpc stanza")]
    [InlineData("""{ "ports": { "http": 8600 } }""", "HTTP address 127.0.0.1:8600 already configured for DNS")]
    public void SemanticErrors(string json, string expected) => AssertJsonError(json, expected, "-bind=127.0.0.2");

    [Theory]
    [InlineData("""{ "bind_addr": "" }""", "bind_addr cannot be empty")]
    [InlineData("""{ "bind_addr": "not-an-ip" }""", "bind_addr cannot be empty")]
    [InlineData("""{ "bind_addr": "1.1.1.1 2.2.2.2" }""", "bind_addr cannot contain multiple addresses. Use 'addresses.{dns,http,https}' instead.")]
    [InlineData("""{ "bind_addr": "unix:///foo" }""", "bind_addr cannot be a unix socket")]
    public void BindAddressErrors(string json, string expected) => AssertJsonError(json, expected);

    [Theory]
    [InlineData("""{ "retry_interval": "abc" }""", "1 error occurred:\n\t* retry_interval: invalid duration: \"abc\": time: invalid duration \"abc\"")]
    [InlineData("""{ "reconnect_timeout": "10" }""", "1 error occurred:\n\t* reconnect_timeout: invalid duration: \"10\": time: missing unit in duration \"10\"")]
    [InlineData("""{ "dns_config": { "service_ttl": { "*": "x" } } }""", "1 error occurred:\n\t* dns_config.service_ttl[\"*\"]: invalid duration: \"x\": time: invalid duration \"x\"")]
    [InlineData("""{ "dns_config": { "recursor_timeout": "1q" } }""", "1 error occurred:\n\t* recursor_timeout: invalid duration: \"1q\": time: invalid duration \"1q\"")]
    [InlineData("""{ "ports": { "http": 70000 } }""", "1 error occurred:\n\t* ports.http: invalid port: 70000")]
    [InlineData("""{ "ports": { "http": 70000, "dns": 80000 } }""", "2 errors occurred:\n\t* ports.dns: invalid port: 80000\n\t* ports.http: invalid port: 70000")]
    [InlineData("""{ "client_addr": "nope" }""", "1 error occurred:\n\t* client_addr: invalid ip address: nope")]
    [InlineData("""{ "client_addr": "unix:///tmp/x" }""", "1 error occurred:\n\t* client_addr cannot be a unix socket")]
    [InlineData("""{ "client_addr": "{{ GetNothing }}" }""", "1 error occurred:\n\t* client_addr: error parsing \"{{ GetNothing }}\": template: sockaddr.Parse:1: function \"GetNothing\" not supported")]
    [InlineData("""{ "advertise_addr": "1.2.3.4 5.6.7.8" }""", "1 error occurred:\n\t* advertise_addr: multiple addresses found: 1.2.3.4 5.6.7.8")]
    [InlineData("""{ "dns_config": { "recursor_strategy": "fastest" } }""", "1 error occurred:\n\t* dns_config.recursor_strategy: invalid strategy: \"fastest\"")]
    [InlineData("""{ "http_config": { "allow_write_http_from": ["10.0.0.0/33"] } }""", "1 error occurred:\n\t* allow_write_http_from: invalid cidr: 10.0.0.0/33")]
    [InlineData("""{ "check": { "name": "c", "ttl": "soon" } }""", "1 error occurred:\n\t* check[].ttl: invalid duration: \"soon\": time: invalid duration \"soon\"")]
    [InlineData("""{ "service": { "name": "web", "weights": { "passing": 0 } } }""", "1 error occurred:\n\t* Invalid weight definition for service web: Passing must be greater than 0")]
    [InlineData("""{ "service": { "name": "web", "meta": { "consul-x": "1" } } }""", "1 error occurred:\n\t* invalid meta for service web: Key prefix 'consul-' is reserved for internal use")]
    public void CollectedErrors(string json, string expected) => AssertJsonError(json, expected, "-bind=127.0.0.2");

    [Theory]
    [InlineData("""{ "check": { "name": "c", "http": "http://localhost" } }""", "check \"c\": Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks")]
    [InlineData("""{ "check": { "name": "c" } }""", "check \"c\": TTL must be > 0 for TTL checks")]
    [InlineData("""{ "check": { "name": "a", "os_service": "foo" } }""", "check \"a\": Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks")]
    [InlineData("""{ "check": { "name": "a", "alias_service": "foo", "ttl": "1s" } }""", "check \"a\": TTL must be not be set for Alias checks")]
    [InlineData("""{ "check": { "name": "c", "ttl": "10s", "interval": "10s", "tcp": "x:1" } }""", "check \"c\": Interval and TTL cannot both be specified")]
    [InlineData("""{ "service": { "name": "web", "check": { "name": "w", "tcp": "localhost:80" } } }""", "service \"web\": check \"w\": Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks")]
    public void CheckDefinitionErrors(string json, string expected) => AssertJsonError(json, expected);

    [Fact]
    public void NodeMetaLimits()
    {
        Assert.Equal("node_meta invalid: Key is too long (limit: 128 characters)",
            _f.JsonError($$"""{ "node_meta": { "{{new string('k', 130)}}": "a" } }""", "-bind=127.0.0.2"));
        Assert.Equal("node_meta invalid: Value is too long (limit: 512 characters)",
            _f.JsonError($$"""{ "node_meta": { "a": "{{new string('v', 520)}}" } }""", "-bind=127.0.0.2"));
        var many = string.Join(", ", Enumerable.Range(0, 70).Select(i => $"\"k{i}\": \"v\""));
        Assert.Equal("node_meta invalid: Node metadata cannot contain more than 64 key/value pairs",
            _f.JsonError("{ \"node_meta\": { " + many + " } }", "-bind=127.0.0.2"));
    }

    [Fact]
    public void ProtocolVersionRange()
    {
        Assert.Equal("Protocol version '1' too low. Must be in range: [2, 3]", _f.Error("-protocol=1"));
        Assert.Equal("Protocol version '4' too high. Must be in range: [2, 3]", _f.Error("-protocol=4"));
        Assert.Equal(3, _f.Load("-protocol=3").Protocol);
    }

    [Fact]
    public void LogLevelIsCheckedAtAgentStart()
    {
        Assert.Equal("Invalid log level: loud. Valid log levels are: [TRACE DEBUG INFO WARN ERR ERROR]", _f.Error("-log-level=loud"));
        Assert.Equal("warn", _f.Load("-log-level=warn").LogLevel);
    }

    [Fact]
    public void BootstrapExpectNotAllowedInDev()
    {
        Assert.Equal("'bootstrap_expect > 0' not allowed in dev mode", _f.Error("-dev", "-bootstrap-expect=3"));
    }

    [Fact]
    public void NodeNameCannotBeEmpty()
    {
        var opts = _f.Options();
        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(["-dev"], null, new LoadOptions
        {
            Hostname = () => "  ",
            Addresses = opts.Addresses,
            Random = opts.Random,
        }));
        Assert.Equal("node_name cannot be empty", e.Message);
    }

    [Fact]
    public void AdvertiseDetectionNeedsExactlyOnePrivateAddress()
    {
        var none = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(["-data-dir=" + _f.DataDir], null,
            _f.Options([new InterfaceAddress("lo", System.Net.IPAddress.Loopback)])));
        Assert.Equal("No private IPv4 address found", none.Message);
        var many = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(["-data-dir=" + _f.DataDir], null,
            _f.Options([new InterfaceAddress("a", System.Net.IPAddress.Parse("10.0.0.1")), new InterfaceAddress("b", System.Net.IPAddress.Parse("192.168.1.1"))])));
        Assert.Equal("Multiple private IPv4 addresses found. Please configure one with 'bind' and/or 'advertise'.", many.Message);
    }

    [Fact]
    public void BindToIpv6AnyNeedsOnePublicIpv6()
    {
        Assert.Equal("No public IPv6 address found", _f.Error("-bind=::"));
        var cfg = AgentConfigLoader.Load(["-data-dir=" + _f.DataDir, "-bind=[::]"], null,
            _f.Options([new InterfaceAddress("eth0", System.Net.IPAddress.Parse("2001:db8::5"))]));
        Assert.Equal("::", cfg.BindAddr);
        Assert.Equal("2001:db8::5", cfg.AdvertiseAddr);
    }

    [Fact]
    public void DatacenterIsLowerCased()
    {
        Assert.Equal("east", _f.LoadJson("""{ "datacenter": "EAST" }""", "-bind=127.0.0.2").Datacenter);
    }

    [Fact]
    public void PortsBelowOneDisableTheListener()
    {
        var cfg = _f.LoadJson("""{ "ports": { "dns": -1, "http": 0, "serf_wan": -1 } }""", "-bind=127.0.0.2");
        Assert.Equal((-1, -1, -1), (cfg.Ports.Dns, cfg.Ports.Http, cfg.Ports.SerfWan));
        Assert.Equal("", cfg.SerfWanBindAddr);
    }

    [Fact]
    public void DeprecatedKeysMoveWithAWarning()
    {
        var cfg = _f.LoadJson("""{ "ca_file": "/ca.pem", "verify_incoming": true, "verify_server_hostname": true, "acl_master_token": "root", "acl_default_policy": "deny", "ui": true, "acl_enforce_version_8": true }""", "-bind=127.0.0.2");
        Assert.Equal("/ca.pem", cfg.Tls.InternalRpc.CaFile);
        Assert.Equal("/ca.pem", cfg.Tls.Https.CaFile);
        Assert.True(cfg.Tls.Https.VerifyIncoming);
        Assert.True(cfg.Tls.VerifyServerHostname);
        Assert.True(cfg.Tls.InternalRpc.VerifyOutgoing);
        Assert.Equal("root", cfg.Acl.Tokens.InitialManagement);
        Assert.Equal("deny", cfg.Acl.DefaultPolicy);
        Assert.True(cfg.UiEnabled);
        Assert.Contains("The 'acl_master_token' field is deprecated. Use the 'acl.tokens.initial_management' field instead.", cfg.Warnings);
        Assert.Contains("The 'ui' field is deprecated. Use the 'ui_config.enabled' field instead.", cfg.Warnings);
        Assert.Contains("config key \"acl_enforce_version_8\" is deprecated and should be removed", cfg.Warnings);
    }

    [Fact]
    public void ModernTlsAndAclStanzas()
    {
        var cfg = _f.LoadJson("""
            { "tls": { "defaults": { "ca_file": "/ca", "cert_file": "/c", "key_file": "/k", "verify_incoming": true, "verify_outgoing": true },
                       "https": { "verify_incoming": false }, "internal_rpc": { "verify_server_hostname": true } },
              "acl": { "enabled": true, "default_policy": "deny", "down_policy": "extend-cache", "enable_token_persistence": true,
                       "tokens": { "initial_management": "m", "agent": "a", "default": "d" } } }
            """, "-bind=127.0.0.2");
        Assert.Equal(("/ca", "/c", "/k"), (cfg.Tls.Https.CaFile, cfg.Tls.Https.CertFile, cfg.Tls.Https.KeyFile));
        Assert.False(cfg.Tls.Https.VerifyIncoming);
        Assert.True(cfg.Tls.InternalRpc.VerifyIncoming);
        Assert.False(cfg.Tls.Grpc.VerifyOutgoing);
        Assert.True(cfg.Tls.VerifyServerHostname);
        Assert.True(cfg.Acl.Enabled);
        Assert.True(cfg.Acl.EnableTokenPersistence);
        Assert.Equal(("deny", "m", "a", "d"), (cfg.Acl.DefaultPolicy, cfg.Acl.Tokens.InitialManagement, cfg.Acl.Tokens.Agent, cfg.Acl.Tokens.Default));
    }

    [Fact]
    public void AcceptsUninterpretedSections()
    {
        var cfg = _f.LoadJson("""
            { "telemetry": { "prometheus_retention_time": "60s", "disable_hostname": true },
              "connect": { "enabled": true }, "watches": [ { "type": "key", "key": "a", "args": ["/bin/true"] } ],
              "limits": { "http_max_conns_per_client": 500 }, "disable_update_check": true, "disable_remote_exec": false,
              "leave_on_terminate": true, "skip_leave_on_interrupt": false, "rejoin_after_leave": true,
              "encrypt_verify_incoming": false, "raft_snapshot_threshold": 1000, "raft_snapshot_interval": "5s", "raft_trailing_logs": 20,
              "performance": { "leave_drain_time": "1s", "rpc_hold_timeout": "2s" },
              "autopilot": { "min_quorum": 3, "cleanup_dead_servers": false } }
            """, "-bind=127.0.0.2", "-server");
        Assert.True(cfg.ConnectEnabled);
        Assert.Single(cfg.Watches);
        Assert.Equal("key", cfg.Watches[0]["type"]);
        Assert.Equal(500, cfg.Limits.HttpMaxConnsPerClient);
        Assert.True(cfg.DisableUpdateCheck);
        Assert.False(cfg.DisableRemoteExec);
        Assert.True(cfg.LeaveOnTerminate);
        Assert.False(cfg.SkipLeaveOnInterrupt);
        Assert.True(cfg.RejoinAfterLeave);
        Assert.False(cfg.EncryptVerifyIncoming);
        Assert.Equal((1000, TimeSpan.FromSeconds(5), 20), (cfg.RaftSnapshotThreshold, cfg.RaftSnapshotInterval, cfg.RaftTrailingLogs));
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), (cfg.Performance.LeaveDrainTime, cfg.Performance.RpcHoldTimeout));
        Assert.Equal(3u, cfg.Autopilot.MinQuorum);
        Assert.False(cfg.Autopilot.CleanupDeadServers);
    }

    [Fact]
    public void DnsConfigIsRead()
    {
        var d = _f.LoadJson("""
            { "dns_config": { "allow_stale": false, "max_stale": "10s", "node_ttl": "30s", "service_ttl": { "*": "5s", "web": "1m" },
              "enable_truncate": true, "only_passing": true, "udp_answer_limit": 5, "a_record_limit": 2, "recursor_timeout": "3s",
              "disable_compression": true, "soa": { "expire": 1, "min_ttl": 2, "refresh": 3, "retry": 4 }, "use_cache": true, "cache_max_age": "1h" } }
            """, "-bind=127.0.0.2").Dns;
        Assert.False(d.AllowStale);
        Assert.Equal(TimeSpan.FromSeconds(10), d.MaxStale);
        Assert.Equal(TimeSpan.FromSeconds(30), d.NodeTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), d.ServiceTtl["*"]);
        Assert.Equal(TimeSpan.FromMinutes(1), d.ServiceTtl["web"]);
        Assert.True(d.EnableTruncate && d.OnlyPassing && d.DisableCompression && d.UseCache);
        Assert.Equal((5, 2), (d.UdpAnswerLimit, d.ARecordLimit));
        Assert.Equal(TimeSpan.FromSeconds(3), d.RecursorTimeout);
        Assert.Equal((1u, 2u, 3u, 4u), (d.Soa.Expire, d.Soa.MinTtl, d.Soa.Refresh, d.Soa.Retry));
        Assert.Equal(TimeSpan.FromHours(1), d.CacheMaxAge);
    }
}
