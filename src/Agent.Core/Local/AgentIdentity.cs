namespace Consul.Core.Local;

/// <summary>Who this agent is in the catalog.</summary>
public sealed record AgentIdentity
{
    public string NodeName { get; init; } = "";
    public string NodeId { get; init; } = "";
    public string Datacenter { get; init; } = "dc1";
    public string Address { get; init; } = "127.0.0.1";
    public string AddressWan { get; init; } = "127.0.0.1";
    public Dictionary<string, string> NodeMeta { get; init; } = new();

    public Dictionary<string, string> TaggedAddresses => new()
    {
        ["lan"] = Address,
        ["lan_ipv4"] = Address,
        ["wan"] = AddressWan,
        ["wan_ipv4"] = AddressWan,
    };
}
