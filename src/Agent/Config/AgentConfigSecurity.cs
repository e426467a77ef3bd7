namespace Consul.Agent.Config;

/// <summary>acl{} and tls{} sections: defaults applied per listener, Consul's stanza rules.</summary>
internal sealed partial class AgentConfigBuilder
{
    private AclConfig BuildAcl() => new()
    {
        Enabled = c.Bool("acl.enabled", false),
        DefaultPolicy = c.Str("acl.default_policy", ""),
        DownPolicy = c.Str("acl.down_policy", ""),
        TokenTtl = Duration("acl.token_ttl"),
        PolicyTtl = Duration("acl.policy_ttl"),
        RoleTtl = Duration("acl.role_ttl"),
        EnableKeyListPolicy = c.Bool("acl.enable_key_list_policy", false),
        EnableTokenPersistence = c.Bool("acl.enable_token_persistence", false),
        EnableTokenReplication = c.Bool("acl.enable_token_replication", false),
        Tokens = new AclTokensConfig
        {
            InitialManagement = c.Str("acl.tokens.initial_management", ""),
            AgentRecovery = c.Str("acl.tokens.agent_recovery", ""),
            Agent = c.Str("acl.tokens.agent", ""),
            Default = c.Str("acl.tokens.default", ""),
            Replication = c.Str("acl.tokens.replication", ""),
            ConfigFileServiceRegistration = c.Str("acl.tokens.config_file_service_registration", ""),
            Dns = c.Str("acl.tokens.dns", ""),
        },
    };

    private TlsConfig BuildTls()
    {
        if (c.Has("tls.grpc.verify_outgoing"))
            throw new ConfigException("verify_outgoing is not valid in the tls.grpc stanza");
        if (c.Has("tls.defaults.verify_server_hostname") || c.Has("tls.grpc.verify_server_hostname") || c.Has("tls.https.verify_server_hostname"))
            throw new ConfigException("verify_server_hostname is only valid in the tls.internal_rpc stanza");
        if (c.Has("tls.defaults.use_auto_cert") || c.Has("tls.https.use_auto_cert") || c.Has("tls.internal_rpc.use_auto_cert"))
            throw new ConfigException("use_auto_cert is only valid in the tls.grpc stanza");
        TlsProtocolConfig Protocol(string name) => new()
        {
            CaFile = c.Str($"tls.{name}.ca_file") ?? c.Str("tls.defaults.ca_file", ""),
            CaPath = c.Str($"tls.{name}.ca_path") ?? c.Str("tls.defaults.ca_path", ""),
            CertFile = c.Str($"tls.{name}.cert_file") ?? c.Str("tls.defaults.cert_file", ""),
            KeyFile = c.Str($"tls.{name}.key_file") ?? c.Str("tls.defaults.key_file", ""),
            VerifyIncoming = c.Bool($"tls.{name}.verify_incoming") ?? c.Bool("tls.defaults.verify_incoming", false),
            VerifyOutgoing = name != "grpc" && (c.Bool($"tls.{name}.verify_outgoing") ?? c.Bool("tls.defaults.verify_outgoing", false)),
            TlsMinVersion = TlsVersion($"tls.{name}.tls_min_version", c.Str($"tls.{name}.tls_min_version") ?? c.Str("tls.defaults.tls_min_version", "")),
            CipherSuites = c.Str($"tls.{name}.tls_cipher_suites") ?? c.Str("tls.defaults.tls_cipher_suites", ""),
        };
        var verifyServerHostname = c.Bool("tls.internal_rpc.verify_server_hostname", false);
        var rpc = Protocol("internal_rpc");
        // verify_server_hostname implies verify_outgoing (CVE-2018-19653).
        if (verifyServerHostname && !rpc.VerifyOutgoing)
            rpc = new TlsProtocolConfig
            {
                CaFile = rpc.CaFile, CaPath = rpc.CaPath, CertFile = rpc.CertFile, KeyFile = rpc.KeyFile,
                VerifyIncoming = rpc.VerifyIncoming, VerifyOutgoing = true, TlsMinVersion = rpc.TlsMinVersion,
                CipherSuites = rpc.CipherSuites,
            };
        return new TlsConfig
        {
            InternalRpc = rpc,
            Https = Protocol("https"),
            Grpc = Protocol("grpc"),
            VerifyServerHostname = verifyServerHostname,
            GrpcUseAutoCert = c.Bool("tls.grpc.use_auto_cert", false),
        };
    }

    private static readonly string[] TlsVersions = ["TLS_AUTO", "TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3"];

    private string TlsVersion(string name, string value)
    {
        if (value.Length == 0) return "TLS_AUTO";
        if (TlsVersions.Contains(value)) return value;
        _err.Add($"{name}: invalid TLS version: TLS version '{value}' is not supported, please use one of {string.Join(", ", TlsVersions)}");
        return value;
    }
}
