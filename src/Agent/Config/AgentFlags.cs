namespace Consul.Agent.Config;

/// <summary>What `consul agent` flags parse into.</summary>
internal sealed class AgentFlags
{
    /// <summary>List-valued flags (-retry-join, -recursor, ...): merged before config files, as Consul does.</summary>
    public Dictionary<string, object?> Slices { get; } = new(StringComparer.Ordinal);

    /// <summary>All other flag values: merged after config files, so flags win.</summary>
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>-config-file and -config-dir paths, in command-line order.</summary>
    public List<string> ConfigFiles { get; } = [];

    public string ConfigFormat { get; set; } = "";

    public bool? Dev { get; set; }

    /// <summary>-hcl fragments.</summary>
    public List<string> Hcl { get; } = [];
}
