namespace Consul.Agent.Config;

/// <summary>
/// The keys Consul's agent accepts in config files (agent/config/config.go), with their types.
/// Sections this agent does not interpret yet (telemetry, connect, auto_config, ...) are
/// accepted whole so that existing Consul configs still load.
/// </summary>
internal static class ConfigSchema
{
    private static readonly ScalarNode S = new(ScalarKind.String);
    private static readonly ScalarNode I = new(ScalarKind.Int);
    private static readonly ScalarNode U = new(ScalarKind.Uint);
    private static readonly ScalarNode B = new(ScalarKind.Bool);
    private static readonly ScalarNode F = new(ScalarKind.Float);
    private static readonly ListNode Strings = new(S);
    private static readonly MapNode StringMap = new(S);
    private static readonly AnyNode Any = AnyNode.Instance;

    // Order matters: static initializers run top to bottom and Root uses Service and Check.
    public static ObjectNode Check { get; } = BuildCheck();

    public static ObjectNode Service { get; } = BuildService();

    public static ObjectNode Root { get; } = BuildRoot();

    private static ObjectNode Obj(params (string Name, SchemaNode Node)[] fields)
    {
        var o = new ObjectNode();
        foreach (var (name, node) in fields) o.Add(name, node);
        return o;
    }

    private static ObjectNode BuildCheck()
    {
        var c = new ObjectNode(translate: true);
        foreach (var k in new[]
                 {
                     "id", "name", "notes", "service_id", "token", "status", "http", "method", "body", "tcp", "udp",
                     "interval", "docker_container_id", "shell", "grpc", "tls_server_name", "alias_node",
                     "alias_service", "timeout", "ttl", "h2ping", "os_service", "deregister_critical_service_after",
                     "namespace", "partition", "type",
                 })
            c.Add(k, S);
        foreach (var k in new[] { "disable_redirects", "grpc_use_tls", "tls_skip_verify", "h2ping_use_tls", "tcp_use_tls" })
            c.Add(k, B);
        foreach (var k in new[] { "output_max_size", "success_before_passing", "failures_before_warning", "failures_before_critical" })
            c.Add(k, I);
        c.Add("args", Strings).Add("header", new MapNode(Strings));
        c.Alias("CheckID", "id").Alias("ScriptArgs", "args").Alias("script_args", "args");
        return c;
    }

    private static ObjectNode BuildService()
    {
        var s = new ObjectNode(translate: true);
        foreach (var k in new[] { "kind", "id", "name", "address", "socket_path", "token", "namespace", "partition" })
            s.Add(k, S);
        s.Add("tags", Strings)
            .Add("meta", StringMap)
            .Add("port", I)
            .Add("enable_tag_override", B)
            .Add("tagged_addresses", new MapNode(Obj(("address", S), ("port", I))))
            .Add("weights", Obj(("passing", I), ("warning", I)))
            .Add("check", Check)
            .Add("checks", new ListNode(Check))
            .Add("proxy", Any)
            .Add("connect", Any)
            .Add("locality", Any);
        return s;
    }

    private static ObjectNode TlsProtocol() => Obj(
        ("ca_file", S), ("ca_path", S), ("cert_file", S), ("key_file", S), ("tls_min_version", S),
        ("tls_cipher_suites", S), ("verify_incoming", B), ("verify_outgoing", B),
        ("verify_server_hostname", B), ("use_auto_cert", B));

    private static ObjectNode BuildRoot()
    {
        var r = new ObjectNode();
        foreach (var k in new[]
                 {
                     // agent identity and addresses
                     "advertise_addr", "advertise_addr_ipv4", "advertise_addr_ipv6", "advertise_addr_wan",
                     "advertise_addr_wan_ipv4", "advertise_addr_wan_ipv6", "advertise_reconnect_timeout", "bind_addr",
                     "client_addr", "datacenter", "data_dir", "domain", "alt_domain", "encrypt", "node_id", "node_name",
                     "pid_file", "primary_datacenter", "serf_lan", "serf_wan", "server_name", "segment", "partition",
                     // durations
                     "check_update_interval", "default_query_time", "discovery_max_stale", "max_query_time",
                     "primary_gateways_interval", "raft_snapshot_interval", "reconnect_timeout", "reconnect_timeout_wan",
                     "retry_interval", "retry_interval_wan", "session_ttl_min", "server_rejoin_age_max",
                     "log_rotate_duration",
                     // logging
                     "log_level", "log_file", "syslog_facility",
                     // ui (deprecated top-level forms)
                     "ui_content_path", "ui_dir",
                     // legacy TLS and ACL keys (mapped onto tls{} / acl{} with a warning)
                     "ca_file", "ca_path", "cert_file", "key_file", "tls_cipher_suites", "tls_min_version",
                     "acl_agent_master_token", "acl_agent_token", "acl_datacenter", "acl_default_policy",
                     "acl_down_policy", "acl_master_token", "acl_replication_token", "acl_ttl", "acl_token",
                     "acl_disabled_ttl", "license_path",
                     // non-user keys Consul still parses
                     "ae_interval", "check_deregister_interval_min", "check_reap_interval", "revision",
                     "sync_coordinate_interval_min", "version", "version_prerelease", "version_metadata", "build_date",
                 })
            r.Add(k, S);
        foreach (var k in new[]
                 {
                     "bootstrap", "server", "ui", "disable_anonymous_signature", "disable_coordinates",
                     "disable_host_node_id", "disable_http_unprintable_char_filter", "disable_keyring_file",
                     "disable_remote_exec", "disable_update_check", "discard_check_output", "enable_acl_replication",
                     "enable_agent_tls_for_checks", "enable_central_service_config", "enable_debug",
                     "enable_script_checks", "enable_local_script_checks", "enable_syslog", "encrypt_verify_incoming",
                     "encrypt_verify_outgoing", "leave_on_terminate", "log_json", "rejoin_after_leave",
                     "skip_leave_on_interrupt", "translate_wan_addrs", "verify_incoming", "verify_incoming_https",
                     "verify_incoming_rpc", "verify_outgoing", "verify_server_hostname", "tls_prefer_server_cipher_suites",
                     "acl_enable_key_list_policy", "auto_reload_config", "use_streaming_backend",
                     "read_replica", "non_voting_server",
                 })
            r.Add(k, B);
        foreach (var k in new[]
                 {
                     "bootstrap_expect", "check_output_max_size", "log_rotate_bytes", "log_rotate_max_files", "protocol",
                     "raft_protocol", "raft_snapshot_threshold", "raft_trailing_logs", "retry_max", "retry_max_wan",
                     "segment_limit", "segment_name_limit",
                 })
            r.Add(k, I);
        foreach (var k in new[]
                 {
                     "recursors", "retry_join", "retry_join_wan", "start_join", "start_join_wan", "primary_gateways",
                     "serf_lan_allowed_cidrs", "serf_wan_allowed_cidrs", "experiments",
                 })
            r.Add(k, Strings);
        r.Add("sync_coordinate_rate_target", F)
            .Add("node_meta", StringMap)
            .Add("tagged_addresses", StringMap)
            .Add("service", Service)
            .Add("services", new ListNode(Service))
            .Add("check", Check)
            .Add("checks", new ListNode(Check))
            .Add("watches", new ListNode(new MapNode(Any)));

        r.Add("addresses", Obj(("dns", S), ("http", S), ("https", S), ("grpc", S), ("grpc_tls", S)));
        var ports = new ObjectNode();
        foreach (var k in new[]
                 {
                     "dns", "http", "https", "grpc", "grpc_tls", "serf_lan", "serf_wan", "server", "proxy_min_port",
                     "proxy_max_port", "sidecar_min_port", "sidecar_max_port", "expose_min_port", "expose_max_port",
                 })
            ports.Add(k, I);
        r.Add("ports", ports);

        r.Add("dns_config", Obj(
            ("allow_stale", B), ("a_record_limit", I), ("disable_compression", B), ("enable_truncate", B),
            ("max_stale", S), ("node_ttl", S), ("only_passing", B), ("recursor_strategy", S),
            ("recursor_timeout", S), ("service_ttl", StringMap), ("udp_answer_limit", I),
            ("enable_additional_node_meta_txt", B), ("use_cache", B), ("cache_max_age", S),
            ("prefer_namespace", B),
            ("soa", Obj(("refresh", U), ("retry", U), ("expire", U), ("min_ttl", U)))));

        r.Add("performance", Obj(("leave_drain_time", S), ("raft_multiplier", I), ("rpc_hold_timeout", S)));
        r.Add("autopilot", Obj(
            ("cleanup_dead_servers", B), ("last_contact_threshold", S), ("max_trailing_logs", I),
            ("min_quorum", U), ("server_stabilization_time", S), ("disable_upgrade_migration", B),
            ("redundancy_zone_tag", S), ("upgrade_version_tag", S)));
        r.Add("limits", Obj(
            ("http_max_conns_per_client", I), ("https_handshake_timeout", S), ("rpc_handshake_timeout", S),
            ("rpc_client_timeout", S), ("rpc_rate", F), ("rpc_max_burst", I), ("rpc_max_conns_per_client", I),
            ("kv_max_value_size", U), ("txn_max_req_len", U), ("request_limits", Any)));
        r.Add("http_config", Obj(
            ("block_endpoints", Strings), ("allow_write_http_from", Strings), ("response_headers", StringMap),
            ("use_cache", B), ("max_header_bytes", I)));
        r.Add("ui_config", Obj(
            ("enabled", B), ("dir", S), ("content_path", S), ("metrics_provider", S),
            ("metrics_provider_files", Strings), ("metrics_provider_options_json", S), ("metrics_proxy", Any),
            ("dashboard_url_templates", StringMap)));
        r.Add("acl", Obj(
            ("enabled", B), ("policy_ttl", S), ("role_ttl", S), ("token_ttl", S), ("down_policy", S),
            ("default_policy", S), ("enable_key_list_policy", B), ("enable_token_replication", B),
            ("enable_token_persistence", B), ("msp_disable_bootstrap", B), ("disabled_ttl", S),
            ("tokens", Obj(
                ("initial_management", S), ("master", S), ("agent_recovery", S), ("agent_master", S),
                ("agent", S), ("default", S), ("replication", S), ("config_file_service_registration", S),
                ("dns", S), ("managed_service_provider", Any)))));
        r.Add("tls", Obj(
            ("defaults", TlsProtocol()), ("internal_rpc", TlsProtocol()), ("https", TlsProtocol()),
            ("grpc", TlsProtocol())));

        // Accepted whole: not interpreted by this agent yet.
        foreach (var k in new[]
                 {
                     "telemetry", "connect", "auto_config", "auto_encrypt", "cache", "cloud", "config_entries",
                     "gossip_lan", "gossip_wan", "locality", "peering", "raft_boltdb", "raft_logstore", "reporting",
                     "rpc", "segments", "unix_sockets", "xds", "snapshot_agent", "audit", "consul", "hcp",
                 })
            r.Add(k, Any);
        return r;
    }
}
