namespace Consul.Agent.Config;

/// <summary>Listener ports; -1 means disabled.</summary>
public sealed class PortsConfig
{
    public int Dns { get; init; } = 8600;
    public int Http { get; init; } = 8500;
    public int Https { get; init; } = -1;
    public int Grpc { get; init; } = -1;
    /// <summary>gRPC with TLS; 8503 on servers unless configured, -1 on clients.</summary>
    public int GrpcTls { get; init; } = -1;
    public int Server { get; init; } = 8300;
    public int SerfLan { get; init; } = 8301;
    /// <summary>-1 disables WAN gossip.</summary>
    public int SerfWan { get; init; } = 8302;
}

/// <summary>addresses{} overrides of client_addr per listener (space-separated lists, already expanded).</summary>
public sealed class AddressesConfig
{
    public string? Dns { get; init; }
    public string? Http { get; init; }
    public string? Https { get; init; }
    public string? Grpc { get; init; }
}

public sealed class DnsConfig
{
    public bool AllowStale { get; init; } = true;
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromHours(87600);
    public TimeSpan NodeTtl { get; init; }
    /// <summary>Per-service TTLs; key "*" is the wildcard, "web*" a prefix.</summary>
    public IReadOnlyDictionary<string, TimeSpan> ServiceTtl { get; init; } = new Dictionary<string, TimeSpan>();
    public bool EnableTruncate { get; init; }
    public bool OnlyPassing { get; init; }
    public int UdpAnswerLimit { get; init; } = 3;
    public int ARecordLimit { get; init; }
    public TimeSpan RecursorTimeout { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>"sequential" (default) or "random".</summary>
    public string RecursorStrategy { get; init; } = "sequential";
    public bool DisableCompression { get; init; }
    public bool EnableAdditionalNodeMetaTxt { get; init; } = true;
    public bool UseCache { get; init; }
    public TimeSpan CacheMaxAge { get; init; }
    public SoaConfig Soa { get; init; } = new();
}

public sealed class SoaConfig
{
    public uint Expire { get; init; } = 86400;
    public uint MinTtl { get; init; }
    public uint Refresh { get; init; } = 3600;
    public uint Retry { get; init; } = 600;
}

public sealed class PerformanceConfig
{
    public int RaftMultiplier { get; init; } = 5;
    public TimeSpan LeaveDrainTime { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RpcHoldTimeout { get; init; } = TimeSpan.FromSeconds(7);
}

public sealed class AutopilotConfig
{
    public bool CleanupDeadServers { get; init; } = true;
    public TimeSpan LastContactThreshold { get; init; } = TimeSpan.FromMilliseconds(200);
    public int MaxTrailingLogs { get; init; } = 250;
    public uint MinQuorum { get; init; }
    public TimeSpan ServerStabilizationTime { get; init; } = TimeSpan.FromSeconds(10);
}

public sealed class LimitsConfig
{
    public int HttpMaxConnsPerClient { get; init; } = 200;
    public TimeSpan HttpsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RpcHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RpcClientTimeout { get; init; }
    /// <summary>Requests per second; +Infinity when unlimited (Consul's -1).</summary>
    public double RpcRate { get; init; } = double.PositiveInfinity;
    public int RpcMaxBurst { get; init; } = 1000;
    public int RpcMaxConnsPerClient { get; init; } = 100;
    /// <summary>Consul's default for kv_max_value_size and txn_max_req_len: 512 KiB, the suggested Raft entry size.</summary>
    public const long DefaultRequestBytes = 512 * 1024;

    public long KvMaxValueSize { get; init; } = DefaultRequestBytes;
    public long TxnMaxReqLen { get; init; } = DefaultRequestBytes;
}

public sealed class HttpConfig
{
    public IReadOnlyList<string> BlockEndpoints { get; init; } = [];
    /// <summary>CIDRs allowed to call write endpoints; empty = everyone.</summary>
    public IReadOnlyList<string> AllowWriteHttpFrom { get; init; } = [];
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = new Dictionary<string, string>();
    public bool UseCache { get; init; } = true;
    public int MaxHeaderBytes { get; init; }
}

public sealed class AclConfig
{
    public bool Enabled { get; init; }
    public string DefaultPolicy { get; init; } = "allow";
    public string DownPolicy { get; init; } = "extend-cache";
    public TimeSpan TokenTtl { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan PolicyTtl { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RoleTtl { get; init; }
    public bool EnableKeyListPolicy { get; init; }
    public bool EnableTokenPersistence { get; init; }
    public bool EnableTokenReplication { get; init; }
    public AclTokensConfig Tokens { get; init; } = new();
}

public sealed class AclTokensConfig
{
    public string InitialManagement { get; init; } = "";
    public string AgentRecovery { get; init; } = "";
    public string Agent { get; init; } = "";
    public string Default { get; init; } = "";
    public string Replication { get; init; } = "";
    public string ConfigFileServiceRegistration { get; init; } = "";
    public string Dns { get; init; } = "";
}

/// <summary>tls{} after applying tls.defaults to each listener, as Consul's tlsutil.Config.</summary>
public sealed class TlsConfig
{
    public TlsProtocolConfig InternalRpc { get; init; } = new();
    public TlsProtocolConfig Https { get; init; } = new();
    public TlsProtocolConfig Grpc { get; init; } = new();
    /// <summary>tls.internal_rpc.verify_server_hostname (implies internal RPC verify_outgoing).</summary>
    public bool VerifyServerHostname { get; init; }
    public bool GrpcUseAutoCert { get; init; }
}

public sealed class TlsProtocolConfig
{
    public string CaFile { get; init; } = "";
    public string CaPath { get; init; } = "";
    public string CertFile { get; init; } = "";
    public string KeyFile { get; init; } = "";
    public bool VerifyIncoming { get; init; }
    public bool VerifyOutgoing { get; init; }
    public string TlsMinVersion { get; init; } = "TLSv1_2";
    public string CipherSuites { get; init; } = "";
}
