namespace Consul.Agent.Config;

/// <summary>
/// Consul's built-in config sources (agent/config/default.go): the defaults every agent
/// starts from, and the extra defaults of -dev mode. Both are merged before user config.
/// </summary>
internal static class DefaultConfig
{
    public static Dictionary<string, object?> Defaults()
    {
        var t = new ConfigTree(new Dictionary<string, object?>(StringComparer.Ordinal));
        t.Set("acl.default_policy", "allow");
        t.Set("acl.down_policy", "extend-cache");
        t.Set("acl.token_ttl", "30s");
        t.Set("acl.policy_ttl", "30s");
        t.Set("bind_addr", "0.0.0.0");
        t.Set("bootstrap", false);
        t.Set("bootstrap_expect", 0L);
        t.Set("check_output_max_size", 4096L);
        t.Set("check_update_interval", "5m");
        t.Set("client_addr", "127.0.0.1");
        t.Set("datacenter", "dc1");
        t.Set("default_query_time", "300s");
        t.Set("disable_coordinates", false);
        t.Set("disable_host_node_id", true);
        t.Set("disable_remote_exec", true);
        t.Set("domain", "consul.");
        t.Set("enable_central_service_config", true);
        t.Set("encrypt_verify_incoming", true);
        t.Set("encrypt_verify_outgoing", true);
        t.Set("log_level", "INFO");
        t.Set("max_query_time", "600s");
        t.Set("primary_gateways_interval", "30s");
        t.Set("protocol", 2L);
        t.Set("retry_interval", "30s");
        t.Set("retry_interval_wan", "30s");
        t.Set("server", false);
        t.Set("syslog_facility", "LOCAL0");
        t.Set("tls.defaults.tls_min_version", "TLSv1_2");
        t.Set("autopilot.cleanup_dead_servers", true);
        t.Set("autopilot.last_contact_threshold", "200ms");
        t.Set("autopilot.max_trailing_logs", 250L);
        t.Set("autopilot.server_stabilization_time", "10s");
        t.Set("dns_config.allow_stale", true);
        t.Set("dns_config.a_record_limit", 0L);
        t.Set("dns_config.udp_answer_limit", 3L);
        t.Set("dns_config.max_stale", "87600h");
        t.Set("dns_config.recursor_timeout", "2s");
        t.Set("limits.http_max_conns_per_client", 200L);
        t.Set("limits.https_handshake_timeout", "5s");
        t.Set("limits.rpc_handshake_timeout", "5s");
        t.Set("limits.rpc_client_timeout", "60s");
        t.Set("limits.rpc_rate", -1.0);
        t.Set("limits.rpc_max_burst", 1000L);
        t.Set("limits.rpc_max_conns_per_client", 100L);
        t.Set("limits.kv_max_value_size", 512L * 1024);
        t.Set("limits.txn_max_req_len", 512L * 1024);
        t.Set("performance.leave_drain_time", "5s");
        t.Set("performance.raft_multiplier", 5L);
        t.Set("performance.rpc_hold_timeout", "7s");
        t.Set("ports.dns", 8600L);
        t.Set("ports.http", 8500L);
        t.Set("ports.https", -1L);
        t.Set("ports.grpc", -1L);
        t.Set("ports.serf_lan", 8301L);
        t.Set("ports.serf_wan", 8302L);
        t.Set("ports.server", 8300L);
        t.Set("raft_protocol", 3L);
        t.Set("raft_snapshot_threshold", 16384L);
        t.Set("raft_snapshot_interval", "30s");
        t.Set("raft_trailing_logs", 10240L);
        return t.Root;
    }

    public static Dictionary<string, object?> Dev()
    {
        var t = new ConfigTree(new Dictionary<string, object?>(StringComparer.Ordinal));
        t.Set("bind_addr", "127.0.0.1");
        t.Set("disable_anonymous_signature", true);
        t.Set("disable_keyring_file", true);
        t.Set("enable_debug", true);
        t.Set("ui_config.enabled", true);
        t.Set("log_level", "DEBUG");
        t.Set("server", true);
        t.Set("connect", new Dictionary<string, object?>(StringComparer.Ordinal) { ["enabled"] = true });
        t.Set("performance.raft_multiplier", 1L);
        t.Set("ports.grpc", 8502L);
        return t.Root;
    }
}
