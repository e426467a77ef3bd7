using Consul.Agent.Config;

namespace Consul.Agent.Acl;

/// <summary>
/// The agent's own ACL tokens (Consul's token.Store): from acl.tokens in the config, replaceable
/// at run time through /v1/agent/token/&lt;kind&gt;. An empty value means "not set".
/// </summary>
public sealed class AgentTokens
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _tokens;

    public const string DefaultKind = "default";
    public const string AgentKind = "agent";
    public const string AgentRecoveryKind = "agent_recovery";
    public const string ReplicationKind = "replication";
    public const string ConfigFileRegistrationKind = "config_file_service_registration";
    public const string DnsKind = "dns";

    public static readonly IReadOnlyList<string> Kinds =
        [DefaultKind, AgentKind, AgentRecoveryKind, ReplicationKind, ConfigFileRegistrationKind, DnsKind];

    public AgentTokens(AclTokensConfig config)
    {
        _tokens = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [DefaultKind] = config.Default,
            [AgentKind] = config.Agent,
            [AgentRecoveryKind] = config.AgentRecovery,
            [ReplicationKind] = config.Replication,
            [ConfigFileRegistrationKind] = config.ConfigFileServiceRegistration,
            [DnsKind] = config.Dns,
        };
    }

    /// <summary>Raised after a token changed (persistence listens).</summary>
    public event Action<string>? Changed;

    public string Get(string kind)
    {
        lock (_gate) return _tokens.GetValueOrDefault(kind, "");
    }

    public void Set(string kind, string token)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"unknown token kind {kind}", nameof(kind));
        lock (_gate) _tokens[kind] = token;
        Changed?.Invoke(kind);
    }

    public string Default => Get(DefaultKind);

    /// <summary>The agent token, else the default token (Consul's AgentToken()).</summary>
    public string Agent => Get(AgentKind) is { Length: > 0 } a ? a : Default;

    /// <summary>The DNS token, else the default token.</summary>
    public string Dns => Get(DnsKind) is { Length: > 0 } d ? d : Default;

    public string AgentRecovery => Get(AgentRecoveryKind);

    /// <summary>Token for services and checks from config files, else the default token.</summary>
    public string ConfigFileRegistration => Get(ConfigFileRegistrationKind) is { Length: > 0 } c ? c : Default;
}
