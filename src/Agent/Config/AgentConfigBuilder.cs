using Consul.Core.Util;

namespace Consul.Agent.Config;

/// <summary>
/// Turns the merged config tree into an <see cref="AgentConfig"/>, in the order of Consul's
/// builder.build(): some problems stop at once, others (bad durations, ports, addresses) are
/// collected and reported together during validation, exactly where Consul reports them.
/// </summary>
internal sealed partial class AgentConfigBuilder(ConfigTree c, bool dev, LoadOptions options, List<string> warnings)
{
    /// <summary>Consul's b.err: deferred errors.</summary>
    private readonly List<string> _err = [];

    private const int MaxRaftMultiplier = 10;

    private ServiceDefinitionBuilder _services = null!;

    public AgentConfig Build(IReadOnlyList<string> sources)
    {
        _services = new ServiceDefinitionBuilder(_err);
        var serviceTtl = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var (k, v) in c.StringMap("dns_config.service_ttl"))
            serviceTtl[k] = ParseDuration($"dns_config.service_ttl[\"{k}\"]", v);

        var soa = new SoaConfig
        {
            Expire = (uint)(c.Int("dns_config.soa.expire") ?? 86400),
            MinTtl = (uint)(c.Int("dns_config.soa.min_ttl") ?? 0),
            Refresh = (uint)(c.Int("dns_config.soa.refresh") ?? 3600),
            Retry = (uint)(c.Int("dns_config.soa.retry") ?? 600),
        };

        var server = c.Bool("server", false);
        var leaveOnTerm = c.Bool("leave_on_terminate") ?? !server;
        var skipLeaveOnInt = c.Bool("skip_leave_on_interrupt") ?? server;

        var services = _services;
        var checks = c.Objects("checks").Select(services.Check).ToList();
        var serviceDefs = c.Objects("services").Select(services.Service).ToList();

        var dnsPort = Port("ports.dns");
        var httpPort = Port("ports.http");
        var httpsPort = Port("ports.https");
        var serverPort = Port("ports.server");
        var grpcPort = Port("ports.grpc");
        var grpcTlsPort = Port("ports.grpc_tls");
        if (!c.Has("ports.grpc_tls") && server) grpcTlsPort = 8503;
        var serfLanPort = Port("ports.serf_lan");
        var serfWanPort = Port("ports.serf_wan");
        if (serverPort <= 0) throw new ConfigException("server-port must be greater than zero");
        if (serfLanPort <= 0) throw new ConfigException("serf-lan-port must be greater than zero");

        // bind and advertise addresses
        var bindAddrs = ExpandAddrs("bind_addr", c.Str("bind_addr"));
        if (bindAddrs.Count == 0) throw new ConfigException("bind_addr cannot be empty");
        if (bindAddrs.Count > 1)
            throw new ConfigException("bind_addr cannot contain multiple addresses. Use 'addresses.{dns,http,https}' instead.");
        if (bindAddrs[0].StartsWith("unix://", StringComparison.Ordinal)) throw new ConfigException("bind_addr cannot be a unix socket");
        if (GoIp.IsAny(c.Str("advertise_addr"))) throw new ConfigException("Advertise address cannot be 0.0.0.0, :: or [::]");
        if (GoIp.IsAny(c.Str("advertise_addr_wan"))) throw new ConfigException("Advertise WAN address cannot be 0.0.0.0, :: or [::]");
        var bindAddr = bindAddrs[0];

        var advertise = ExpandFirstIp("advertise_addr", c.Str("advertise_addr")) ?? bindAddr;
        if (GoIp.IsAny(advertise)) advertise = DetectAdvertise(advertise);
        var serfLanBind = ExpandFirstIp("serf_lan", c.Str("serf_lan")) ?? bindAddr;
        var serfWanBind = serfWanPort > 0 ? ExpandFirstIp("serf_wan", c.Str("serf_wan")) ?? bindAddr : "";
        var advertiseWan = ExpandFirstIp("advertise_addr_wan", c.Str("advertise_addr_wan")) ?? advertise;

        var clientAddrs = ExpandIps("client_addr", c.Str("client_addr"));
        if (clientAddrs.Count == 0)
            warnings.Add("client_addr is empty, client services (DNS, HTTP, HTTPS, GRPC) will not be listening for connections");
        var addresses = new AddressesConfig
        {
            Dns = JoinOrNull(ExpandAddrs("addresses.dns", c.Str("addresses.dns"))),
            Http = JoinOrNull(ExpandAddrs("addresses.http", c.Str("addresses.http"))),
            Https = JoinOrNull(ExpandAddrs("addresses.https", c.Str("addresses.https"))),
            Grpc = JoinOrNull(ExpandAddrs("addresses.grpc", c.Str("addresses.grpc"))),
        };

        var recursors = new List<string>();
        foreach (var r in c.Strings("recursors"))
        {
            string expanded;
            try { expanded = AddressTemplate.Expand(r, options.Addresses); }
            catch (FormatException e) { throw new ConfigException($"Invalid DNS recursor template \"{r}\": {e.Message}"); }
            foreach (var addr in Fields(expanded))
            {
                if (addr.StartsWith("unix://", StringComparison.Ordinal))
                    throw new ConfigException($"DNS Recursors cannot be unix sockets: {addr}");
                if (!recursors.Contains(addr)) recursors.Add(addr);
            }
        }

        var datacenter = c.Str("datacenter", "").ToLowerInvariant();
        var primaryDatacenter = c.Str("primary_datacenter", "").ToLowerInvariant();
        if (primaryDatacenter.Length == 0) primaryDatacenter = datacenter;

        var raftMultiplier = c.Int("performance.raft_multiplier", 0);
        if (raftMultiplier < 1 || raftMultiplier > MaxRaftMultiplier)
            throw new ConfigException($"performance.raft_multiplier cannot be {raftMultiplier}. Must be between 1 and {MaxRaftMultiplier}");

        var enableScriptChecks = c.Bool("enable_script_checks", false);
        var taggedAddresses = c.StringMap("tagged_addresses");
        taggedAddresses["lan"] = advertise;
        taggedAddresses["wan"] = advertiseWan;

        var bootstrap = c.Bool("bootstrap", false);
        var bootstrapExpect = c.Int("bootstrap_expect", 0);

        var config = new AgentConfig
        {
            Dev = dev,
            Server = server,
            Bootstrap = bootstrap,
            BootstrapExpect = bootstrapExpect,
            NodeName = NodeName(),
            NodeId = c.Str("node_id", ""),
            Datacenter = datacenter,
            PrimaryDatacenter = primaryDatacenter,
            Domain = c.Str("domain", ""),
            AltDomain = c.Str("alt_domain", ""),
            DataDir = c.Str("data_dir", ""),
            LogLevel = c.Str("log_level", ""),
            LogJson = c.Bool("log_json", false),
            LogFile = c.Str("log_file", ""),
            LogRotateDuration = DurationOr("log_rotate_duration", TimeSpan.FromHours(24)),
            LogRotateBytes = c.Int("log_rotate_bytes", 0),
            LogRotateMaxFiles = c.Int("log_rotate_max_files", 0),
            EnableSyslog = c.Bool("enable_syslog", false),
            SyslogFacility = c.Str("syslog_facility", ""),
            PidFile = c.Str("pid_file", ""),
            BindAddr = bindAddr,
            ClientAddrs = clientAddrs,
            ClientAddr = clientAddrs.Count > 0 ? clientAddrs[0] : "",
            AdvertiseAddr = advertise,
            AdvertiseAddrWan = advertiseWan,
            SerfLanBindAddr = serfLanBind,
            SerfWanBindAddr = serfWanBind,
            TaggedAddresses = taggedAddresses,
            Ports = new PortsConfig
            {
                Dns = dnsPort, Http = httpPort, Https = httpsPort, Grpc = grpcPort, GrpcTls = grpcTlsPort,
                Server = serverPort, SerfLan = serfLanPort, SerfWan = serfWanPort,
            },
            Addresses = addresses,
            UiEnabled = c.Bool("ui_config.enabled", false),
            UiDir = c.Str("ui_config.dir", ""),
            UiContentPath = UiPath(c.Str("ui_config.content_path", "")),
            Recursors = recursors,
            RetryJoin = ExpandOptional("retry_join"),
            RetryJoinWan = ExpandOptional("retry_join_wan"),
            StartJoin = c.Strings("start_join"),
            StartJoinWan = c.Strings("start_join_wan"),
            RetryInterval = Duration("retry_interval"),
            RetryIntervalWan = Duration("retry_interval_wan"),
            RetryMax = c.Int("retry_max", 0),
            RetryMaxWan = c.Int("retry_max_wan", 0),
            LeaveOnTerminate = leaveOnTerm,
            SkipLeaveOnInterrupt = skipLeaveOnInt,
            RejoinAfterLeave = c.Bool("rejoin_after_leave", false),
            EnableScriptChecks = enableScriptChecks,
            EnableLocalScriptChecks = c.Bool("enable_local_script_checks") ?? enableScriptChecks,
            DisableUpdateCheck = c.Bool("disable_update_check", false),
            DisableRemoteExec = c.Bool("disable_remote_exec", false),
            DisableHostNodeId = c.Bool("disable_host_node_id", false),
            DisableKeyringFile = c.Bool("disable_keyring_file", false),
            DisableCoordinates = c.Bool("disable_coordinates", false),
            TranslateWanAddrs = c.Bool("translate_wan_addrs", false),
            SyncCoordinateIntervalMin = DurationOr("sync_coordinate_interval_min", TimeSpan.FromSeconds(15)),
            SyncCoordinateRateTarget = c.Float("sync_coordinate_rate_target") is { } target && target > 0 ? target : 64,
            EnableDebug = c.Bool("enable_debug", false),
            ConnectEnabled = c.Get("connect") is Dictionary<string, object?> connect && connect.GetValueOrDefault("enabled") is true,
            ReconnectTimeout = DurationOr("reconnect_timeout", TimeSpan.FromHours(72)),
            ReconnectTimeoutWan = DurationOr("reconnect_timeout_wan", TimeSpan.FromHours(72)),
            Encrypt = c.Str("encrypt") is { Length: > 0 } key ? key : null,
            EncryptVerifyIncoming = c.Bool("encrypt_verify_incoming", false),
            EncryptVerifyOutgoing = c.Bool("encrypt_verify_outgoing", false),
            Protocol = c.Int("protocol", 0),
            RaftProtocol = c.Int("raft_protocol", 0),
            RaftSnapshotThreshold = c.Int("raft_snapshot_threshold", 0),
            RaftSnapshotInterval = Duration("raft_snapshot_interval"),
            RaftTrailingLogs = c.Int("raft_trailing_logs", 0),
            DefaultQueryTime = Duration("default_query_time"),
            MaxQueryTime = Duration("max_query_time"),
            CheckUpdateInterval = Duration("check_update_interval"),
            CheckOutputMaxSize = c.Int("check_output_max_size", 4096),
            SessionTtlMin = Duration("session_ttl_min"),
            Dns = new DnsConfig
            {
                AllowStale = c.Bool("dns_config.allow_stale", false),
                MaxStale = Duration("dns_config.max_stale"),
                NodeTtl = Duration("dns_config.node_ttl"),
                ServiceTtl = serviceTtl,
                EnableTruncate = c.Bool("dns_config.enable_truncate", false),
                OnlyPassing = c.Bool("dns_config.only_passing", false),
                UdpAnswerLimit = c.Int("dns_config.udp_answer_limit", 0),
                ARecordLimit = c.Int("dns_config.a_record_limit", 0),
                RecursorTimeout = Duration("dns_config.recursor_timeout", "recursor_timeout"),
                RecursorStrategy = RecursorStrategy(),
                DisableCompression = c.Bool("dns_config.disable_compression", false),
                EnableAdditionalNodeMetaTxt = c.Bool("dns_config.enable_additional_node_meta_txt", true),
                UseCache = c.Bool("dns_config.use_cache", false),
                CacheMaxAge = Duration("dns_config.cache_max_age"),
                Soa = soa,
            },
            NodeMeta = c.StringMap("node_meta"),
            Services = serviceDefs,
            Checks = checks,
            Watches = c.Get("watches") is List<object?> w
                ? w.OfType<Dictionary<string, object?>>().Select(x => (IReadOnlyDictionary<string, object?>)x).ToList()
                : [],
            Acl = BuildAcl(),
            Tls = BuildTls(),
            Performance = new PerformanceConfig
            {
                RaftMultiplier = raftMultiplier,
                LeaveDrainTime = Duration("performance.leave_drain_time"),
                RpcHoldTimeout = Duration("performance.rpc_hold_timeout"),
            },
            Autopilot = new AutopilotConfig
            {
                CleanupDeadServers = c.Bool("autopilot.cleanup_dead_servers", false),
                LastContactThreshold = Duration("autopilot.last_contact_threshold"),
                MaxTrailingLogs = c.Int("autopilot.max_trailing_logs", 0),
                MinQuorum = (uint)(c.Int("autopilot.min_quorum") ?? 0),
                ServerStabilizationTime = Duration("autopilot.server_stabilization_time"),
            },
            Limits = new LimitsConfig
            {
                HttpMaxConnsPerClient = c.Int("limits.http_max_conns_per_client", 0),
                HttpsHandshakeTimeout = Duration("limits.https_handshake_timeout"),
                RpcHandshakeTimeout = Duration("limits.rpc_handshake_timeout"),
                RpcClientTimeout = Duration("limits.rpc_client_timeout"),
                RpcRate = c.Float("limits.rpc_rate") is { } rate && rate >= 0 ? rate : double.PositiveInfinity,
                RpcMaxBurst = c.Int("limits.rpc_max_burst", 0),
                RpcMaxConnsPerClient = c.Int("limits.rpc_max_conns_per_client", 0),
                KvMaxValueSize = c.Int("limits.kv_max_value_size") ?? LimitsConfig.DefaultRequestBytes,
                TxnMaxReqLen = c.Int("limits.txn_max_req_len") ?? LimitsConfig.DefaultRequestBytes,
            },
            Http = new HttpConfig
            {
                BlockEndpoints = c.Strings("http_config.block_endpoints"),
                AllowWriteHttpFrom = Cidrs("allow_write_http_from", c.Strings("http_config.allow_write_http_from")),
                ResponseHeaders = c.StringMap("http_config.response_headers"),
                UseCache = c.Bool("http_config.use_cache", true),
                MaxHeaderBytes = c.Int("http_config.max_header_bytes", 0),
            },
            ConfigSources = sources,
            Warnings = warnings,
        };

        if (config.BootstrapExpect == 1)
        {
            warnings.Add("BootstrapExpect is set to 1; this is the same as Bootstrap mode.");
            config = config with { Bootstrap = true, BootstrapExpect = 0 };
        }
        return config;
    }

    private string RecursorStrategy()
    {
        var v = c.Str("dns_config.recursor_strategy", "");
        if (v is "" or "sequential") return "sequential";
        if (v == "random") return v;
        _err.Add($"dns_config.recursor_strategy: invalid strategy: \"{v}\"");
        return "sequential";
    }

    private IReadOnlyList<string> Cidrs(string name, IReadOnlyList<string> values)
    {
        foreach (var v in values)
            if (!System.Net.IPNetwork.TryParse(v.Trim(), out _))
                _err.Add($"{name}: invalid cidr: {v}");
        return values;
    }

    private string NodeName()
    {
        var name = c.Str("node_name", "");
        if (name.Length == 0)
        {
            try { name = options.Hostname(); }
            catch (Exception e) { _err.Add($"node_name: {e.Message}"); return ""; }
        }
        return name.Trim();
    }

    private static string UiPath(string path) => path.Length == 0 ? "/ui/" : "/" + path.Trim('/') + "/";

    private TimeSpan Duration(string path) => Duration(path, path);

    private TimeSpan Duration(string path, string name) => c.Str(path) is { } v ? ParseDuration(name, v) : TimeSpan.Zero;

    private TimeSpan DurationOr(string path, TimeSpan whenUnset)
    {
        var d = Duration(path);
        return d == TimeSpan.Zero ? whenUnset : d;
    }

    /// <summary>Consul's durationVal: errors are collected, the value becomes 0.</summary>
    internal TimeSpan ParseDuration(string name, string value)
    {
        if (GoDuration.TryParse(value, out var d)) return d;
        var why = value.Length > 0 && value.TrimStart('-', '+').All(ch => char.IsAsciiDigit(ch) || ch == '.')
            ? $"time: missing unit in duration \"{value}\""
            : $"time: invalid duration \"{value}\"";
        _err.Add($"{name}: invalid duration: \"{value}\": {why}");
        return TimeSpan.Zero;
    }

    /// <summary>Consul's portVal: unset or &lt;= 0 means disabled (-1); above 65535 is an error.</summary>
    private int Port(string name)
    {
        var v = c.Int(name);
        if (v is null or <= 0) return -1;
        if (v > 65535) _err.Add($"{name}: invalid port: {v}");
        return (int)Math.Min(v.Value, int.MaxValue);
    }
}
