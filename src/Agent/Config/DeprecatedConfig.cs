namespace Consul.Agent.Config;

/// <summary>
/// Moves deprecated keys of one source onto their current names (agent/config/deprecated.go):
/// top-level TLS keys into tls{}, acl_* keys into acl{}, ui/ui_dir/ui_content_path into ui_config{}.
/// A current key set in the same source wins.
/// </summary>
internal static class DeprecatedConfig
{
    private static readonly (string Old, string New)[] Moves =
    [
        ("acl.tokens.master", "acl.tokens.initial_management"),
        ("acl.tokens.agent_master", "acl.tokens.agent_recovery"),
        ("acl_master_token", "acl.tokens.initial_management"),
        ("acl_agent_master_token", "acl.tokens.agent_recovery"),
        ("acl_agent_token", "acl.tokens.agent"),
        ("acl_token", "acl.tokens.default"),
        ("acl_replication_token", "acl.tokens.replication"),
        ("acl_default_policy", "acl.default_policy"),
        ("acl_down_policy", "acl.down_policy"),
        ("acl_ttl", "acl.token_ttl"),
        ("acl_enable_key_list_policy", "acl.enable_key_list_policy"),
        ("acl_disabled_ttl", "acl.disabled_ttl"),
        ("acl_datacenter", "primary_datacenter"),
        ("enable_acl_replication", "acl.enable_token_replication"),
        ("ca_file", "tls.defaults.ca_file"),
        ("ca_path", "tls.defaults.ca_path"),
        ("cert_file", "tls.defaults.cert_file"),
        ("key_file", "tls.defaults.key_file"),
        ("tls_min_version", "tls.defaults.tls_min_version"),
        ("tls_cipher_suites", "tls.defaults.tls_cipher_suites"),
        ("verify_incoming", "tls.defaults.verify_incoming"),
        ("verify_outgoing", "tls.defaults.verify_outgoing"),
        ("verify_server_hostname", "tls.internal_rpc.verify_server_hostname"),
        ("verify_incoming_rpc", "tls.internal_rpc.verify_incoming"),
        ("verify_incoming_https", "tls.https.verify_incoming"),
        ("ui", "ui_config.enabled"),
        ("ui_dir", "ui_config.dir"),
        ("ui_content_path", "ui_config.content_path"),
    ];

    /// <summary>The old tls_min_version spellings (types.DeprecatedConsulAgentTLSVersions).</summary>
    private static readonly Dictionary<string, string> LegacyTlsVersions = new(StringComparer.Ordinal)
    {
        ["tls10"] = "TLSv1_0", ["tls11"] = "TLSv1_1", ["tls12"] = "TLSv1_2", ["tls13"] = "TLSv1_3",
    };

    public static void Apply(Dictionary<string, object?> source, List<string> warnings)
    {
        var tree = new ConfigTree(source);
        foreach (var (oldKey, newKey) in Moves)
        {
            var value = tree.Get(oldKey);
            if (value is null) continue;
            tree.Remove(oldKey);
            warnings.Add($"The '{oldKey}' field is deprecated. Use the '{newKey}' field instead.");
            if (!tree.Has(newKey)) tree.Set(newKey, value);
            // Consul turns these features on when the legacy key is used.
            if (oldKey == "acl_replication_token" && !tree.Has("acl.enable_token_replication"))
                tree.Set("acl.enable_token_replication", true);
            if (oldKey == "acl_datacenter" && !tree.Has("acl.enabled"))
                tree.Set("acl.enabled", true);
            // Before Consul 1.12 the gRPC port never checked client certificates: the legacy
            // verify_incoming must not switch that on through tls.defaults.
            if (oldKey == "verify_incoming" && !tree.Has("tls.grpc.verify_incoming"))
                tree.Set("tls.grpc.verify_incoming", false);
            if (oldKey == "tls_min_version" && value is string v && LegacyTlsVersions.TryGetValue(v, out var current) && tree.Get(newKey) as string == v)
            {
                warnings.Add($"'tls_min_version' value '{v}' is deprecated, please specify '{current}' instead");
                tree.Set(newKey, current);
            }
        }
        if (tree.Get("tls_prefer_server_cipher_suites") is not null)
        {
            tree.Remove("tls_prefer_server_cipher_suites");
            warnings.Add("The 'tls_prefer_server_cipher_suites' field is deprecated and will be ignored.");
        }
    }
}
