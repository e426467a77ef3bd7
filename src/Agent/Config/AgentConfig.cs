// TEMPORARY stand-in until the config branch lands; replaced by its AgentConfig.
using Consul.Core.Model;

namespace Consul.Agent.Config;

public sealed class PortsConfig
{
    public int Dns { get; init; } = 8600;
    public int Http { get; init; } = 8500;
    public int Https { get; init; } = -1;
    public int Grpc { get; init; } = -1;
    public int Server { get; init; } = 8300;
    public int SerfLan { get; init; } = 8301;
    public int SerfWan { get; init; } = 8302;
}

public sealed class AddressesConfig
{
    public string? Dns { get; init; }
    public string? Http { get; init; }
    public string? Https { get; init; }
}

public sealed class DnsConfig
{
    public bool AllowStale { get; init; } = true;
    public TimeSpan MaxStale { get; init; } = TimeSpan.FromHours(87600);
    public TimeSpan NodeTtl { get; init; }
    public IReadOnlyDictionary<string, TimeSpan> ServiceTtl { get; init; } = new Dictionary<string, TimeSpan>();
    public bool EnableTruncate { get; init; }
    public bool OnlyPassing { get; init; }
    public int UdpAnswerLimit { get; init; } = 3;
    public int ARecordLimit { get; init; }
    public TimeSpan RecursorTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public bool DisableCompression { get; init; }
}

public sealed class AgentConfig
{
    public bool Dev { get; init; }
    public bool Server { get; init; }
    public bool Bootstrap { get; init; }
    public int BootstrapExpect { get; init; }
    public string NodeName { get; init; } = Environment.MachineName;
    public string NodeId { get; init; } = Guid.NewGuid().ToString();
    public string Datacenter { get; init; } = "dc1";
    public string Domain { get; init; } = "consul.";
    public string AltDomain { get; init; } = "";
    public string DataDir { get; init; } = "";
    public string LogLevel { get; init; } = "info";
    public string PidFile { get; init; } = "";
    public string BindAddr { get; init; } = "127.0.0.1";
    public string ClientAddr { get; init; } = "127.0.0.1";
    public IReadOnlyList<string> ClientAddrs { get; init; } = ["127.0.0.1"];
    public string AdvertiseAddr { get; init; } = "127.0.0.1";
    public string AdvertiseAddrWan { get; init; } = "127.0.0.1";
    public PortsConfig Ports { get; init; } = new();
    public AddressesConfig Addresses { get; init; } = new();
    public bool UiEnabled { get; init; }
    public IReadOnlyList<string> Recursors { get; init; } = [];
    public bool EnableScriptChecks { get; init; }
    public bool EnableLocalScriptChecks { get; init; }
    public bool LeaveOnTerminate { get; init; }
    public bool SkipLeaveOnInterrupt { get; init; }
    public string? Encrypt { get; init; }
    public DnsConfig Dns { get; init; } = new();
    public IReadOnlyDictionary<string, string> NodeMeta { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];
    public IReadOnlyList<CheckDefinition> Checks { get; init; } = [];
}
