namespace Consul.Agent.Config;

/// <summary>Host facts the loader needs; tests replace them.</summary>
internal sealed class LoadOptions
{
    public Func<string> Hostname { get; init; } = System.Net.Dns.GetHostName;

    public Func<IReadOnlyList<InterfaceAddress>> Addresses { get; init; } = HostNetwork.Addresses;

    /// <summary>Source of generated node IDs.</summary>
    public Random Random { get; init; } = new();

    /// <summary>The host's own UUID, if it has one (used when disable_host_node_id is false).</summary>
    public Func<string?> HostId { get; init; } = NodeIdentity.ReadHostId;

    /// <summary>When false, node IDs are not read from or written to data_dir (consul validate).</summary>
    public bool PersistNodeId { get; init; } = true;

    /// <summary>Sources merged after flags (Consul's LoadOpts.HCL/Overrides), as decoded trees.</summary>
    public IReadOnlyList<(string Name, Dictionary<string, object?> Tree)> Overrides { get; init; } = [];
}
