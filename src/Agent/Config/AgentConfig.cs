using Consul.Core.Model;

namespace Consul.Agent.Config;

/// <summary>
/// The validated configuration of one `consul agent` (Consul's RuntimeConfig), built from
/// defaults, config files and flags by <see cref="AgentConfigLoader"/>.
/// </summary>
public sealed record AgentConfig
{
    public bool Dev { get; init; }
    public bool Server { get; init; }
    /// <summary>True for -bootstrap, bootstrap_expect = 1, and a -dev server (which bootstraps itself).</summary>
    public bool Bootstrap { get; init; }
    public int BootstrapExpect { get; init; }

    public string NodeName { get; init; } = "";
    /// <summary>Lower-case UUID: configured, read from data_dir/node-id, or generated.</summary>
    public string NodeId { get; init; } = "";
    public string Datacenter { get; init; } = "dc1";
    public string PrimaryDatacenter { get; init; } = "dc1";
    /// <summary>As configured (default "consul."); DNS code should treat it as a FQDN.</summary>
    public string Domain { get; init; } = "consul.";
    public string AltDomain { get; init; } = "";
    /// <summary>"" only in -dev mode (in-memory).</summary>
    public string DataDir { get; init; } = "";
    public string LogLevel { get; init; } = "INFO";
    public bool LogJson { get; init; }
    public string LogFile { get; init; } = "";
    /// <summary>Age at which the log file is rotated; Consul treats 0 (unset) as 24h.</summary>
    public TimeSpan LogRotateDuration { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Size at which the log file is rotated; 0 means no size limit.</summary>
    public int LogRotateBytes { get; init; }
    /// <summary>Rotated files kept: 0 keeps all, -1 keeps none.</summary>
    public int LogRotateMaxFiles { get; init; }
    public bool EnableSyslog { get; init; }
    public string SyslogFacility { get; init; } = "LOCAL0";
    public string PidFile { get; init; } = "";

    /// <summary>Resolved single IP the agent binds cluster traffic to.</summary>
    public string BindAddr { get; init; } = "0.0.0.0";
    /// <summary>First client address ("" when client_addr is empty).</summary>
    public string ClientAddr { get; init; } = "127.0.0.1";
    public IReadOnlyList<string> ClientAddrs { get; init; } = [];
    /// <summary>LAN advertise address (bind address, or a detected private IP when bound to 0.0.0.0).</summary>
    public string AdvertiseAddr { get; init; } = "";
    public string AdvertiseAddrWan { get; init; } = "";
    public string SerfLanBindAddr { get; init; } = "";
    public string SerfWanBindAddr { get; init; } = "";
    public IReadOnlyDictionary<string, string> TaggedAddresses { get; init; } = new Dictionary<string, string>();

    public PortsConfig Ports { get; init; } = new();
    public AddressesConfig Addresses { get; init; } = new();

    public bool UiEnabled { get; init; }
    public string UiDir { get; init; } = "";
    /// <summary>Always with leading and trailing slash; default "/ui/".</summary>
    public string UiContentPath { get; init; } = "/ui/";

    public IReadOnlyList<string> Recursors { get; init; } = [];
    public IReadOnlyList<string> RetryJoin { get; init; } = [];
    public IReadOnlyList<string> RetryJoinWan { get; init; } = [];
    public IReadOnlyList<string> StartJoin { get; init; } = [];
    public IReadOnlyList<string> StartJoinWan { get; init; } = [];
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryIntervalWan { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>0 = retry forever.</summary>
    public int RetryMax { get; init; }
    public int RetryMaxWan { get; init; }

    /// <summary>Default true for clients, false for servers.</summary>
    public bool LeaveOnTerminate { get; init; }
    /// <summary>Default true for servers, false for clients.</summary>
    public bool SkipLeaveOnInterrupt { get; init; }
    public bool RejoinAfterLeave { get; init; }
    public bool EnableScriptChecks { get; init; }
    /// <summary>Defaults to <see cref="EnableScriptChecks"/>.</summary>
    public bool EnableLocalScriptChecks { get; init; }
    public bool DisableUpdateCheck { get; init; }
    public bool DisableRemoteExec { get; init; } = true;
    public bool DisableHostNodeId { get; init; } = true;
    public bool DisableKeyringFile { get; init; }
    public bool DisableCoordinates { get; init; }
    /// <summary>DNS answers for other datacenters use nodes' and services' "wan" tagged addresses.</summary>
    public bool TranslateWanAddrs { get; init; }
    /// <summary>Shortest gap between this agent's coordinate updates to the servers (Consul: 15s).</summary>
    public TimeSpan SyncCoordinateIntervalMin { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Coordinate updates per second the whole datacenter aims at (Consul: 64); larger clusters send less often.</summary>
    public double SyncCoordinateRateTarget { get; init; } = 64;
    public bool EnableDebug { get; init; }
    public bool ConnectEnabled { get; init; }

    /// <summary>Serf LAN reconnect_timeout; Consul's 0 ("unset") is reported as serf's 72h default.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromHours(72);
    public TimeSpan ReconnectTimeoutWan { get; init; } = TimeSpan.FromHours(72);

    /// <summary>Base64 gossip key, or null.</summary>
    public string? Encrypt { get; init; }
    public bool EncryptVerifyIncoming { get; init; } = true;
    public bool EncryptVerifyOutgoing { get; init; } = true;

    public int Protocol { get; init; } = 2;
    public int RaftProtocol { get; init; } = 3;
    public int RaftSnapshotThreshold { get; init; } = 16384;
    public TimeSpan RaftSnapshotInterval { get; init; } = TimeSpan.FromSeconds(30);
    public int RaftTrailingLogs { get; init; } = 10240;
    public TimeSpan DefaultQueryTime { get; init; } = TimeSpan.FromSeconds(300);
    public TimeSpan MaxQueryTime { get; init; } = TimeSpan.FromSeconds(600);
    public TimeSpan CheckUpdateInterval { get; init; } = TimeSpan.FromMinutes(5);
    public int CheckOutputMaxSize { get; init; } = 4096;
    public TimeSpan SessionTtlMin { get; init; }

    public DnsConfig Dns { get; init; } = new();
    public IReadOnlyDictionary<string, string> NodeMeta { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];
    public IReadOnlyList<CheckDefinition> Checks { get; init; } = [];
    /// <summary>watches entries as given (each a JSON-like map), for the watch subsystem.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Watches { get; init; } = [];
    public AclConfig Acl { get; init; } = new();
    public TlsConfig Tls { get; init; } = new();
    public PerformanceConfig Performance { get; init; } = new();
    public AutopilotConfig Autopilot { get; init; } = new();
    public LimitsConfig Limits { get; init; } = new();
    public HttpConfig Http { get; init; } = new();

    /// <summary>DNS listen addresses (IPs or unix:// paths): addresses.dns, else client_addr; empty when disabled.</summary>
    public IReadOnlyList<string> DnsListenAddrs => ListenAddrs(Addresses.Dns, Ports.Dns);
    public IReadOnlyList<string> HttpListenAddrs => ListenAddrs(Addresses.Http, Ports.Http);
    public IReadOnlyList<string> HttpsListenAddrs => ListenAddrs(Addresses.Https, Ports.Https);
    public IReadOnlyList<string> GrpcListenAddrs => ListenAddrs(Addresses.Grpc, Ports.Grpc);

    private IReadOnlyList<string> ListenAddrs(string? overrides, int port) =>
        port <= 0 ? [] : overrides?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? ClientAddrs;

    /// <summary>Where the config came from, in merge order ("default", "dev", file paths, "flags"), for logs.</summary>
    public IReadOnlyList<string> ConfigSources { get; init; } = [];
    /// <summary>A short summary; deliberately leaves out the gossip key and tokens.</summary>
    public override string ToString() =>
        $"AgentConfig {{ Node = {NodeName}, Datacenter = {Datacenter}, Server = {Server}, Dev = {Dev}, Bind = {BindAddr}, Advertise = {AdvertiseAddr} }}";

    /// <summary>Non-fatal problems Consul prints as warnings at start-up.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
