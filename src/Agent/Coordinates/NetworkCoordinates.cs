using Consul.Agent.Config;
using Consul.Agent.Hosting.Cluster;
using Consul.Core.Gossip.Coordinates;

namespace Consul.Agent.Coordinates;

/// <summary>The WAN coordinates of one datacenter's servers (Consul's structs.DatacenterMap).</summary>
public sealed record DatacenterCoordinates(string Datacenter, IReadOnlyList<(string Node, Coordinate Coord)> Servers);

/// <summary>Where this agent's network coordinates come from: its gossip pools (Vivaldi, fed by probe round trips).</summary>
public interface INetworkCoordinates
{
    /// <summary>This agent's LAN coordinate; null when coordinates are disabled.</summary>
    Coordinate? Lan();

    /// <summary>Servers' WAN coordinates by datacenter; empty on client agents (they have no WAN pool and ask a server).</summary>
    IReadOnlyList<DatacenterCoordinates> Wan();
}

/// <summary>A cluster agent's coordinates, from its LAN and (servers) WAN pools.</summary>
public sealed class GossipCoordinates(GossipPools pools, AgentConfig config) : INetworkCoordinates
{
    public Coordinate? Lan() => config.DisableCoordinates ? null : pools.Lan.GetCoordinate();

    public IReadOnlyList<DatacenterCoordinates> Wan()
    {
        if (config.DisableCoordinates || pools.Wan is not { } wan) return [];
        var byDc = new SortedDictionary<string, List<(string, Coordinate)>>(StringComparer.Ordinal);
        foreach (var member in wan.Members())
        {
            // WAN members are named node.dc; Consul lists each server under its datacenter by node name.
            var dot = member.Name.LastIndexOf('.');
            if (dot <= 0 || member.Tags.GetValueOrDefault("role") != "consul") continue;
            if (wan.GetCoordinate(member.Name == wan.Name ? null : member.Name) is not { } coord) continue;
            var dc = member.Tags.GetValueOrDefault("dc") is { Length: > 0 } tagged ? tagged : member.Name[(dot + 1)..];
            if (!byDc.TryGetValue(dc, out var list)) byDc[dc] = list = [];
            list.Add((member.Name[..dot], coord));
        }
        return byDc.Select(p => new DatacenterCoordinates(p.Key, p.Value.OrderBy(x => x.Item1, StringComparer.Ordinal).ToList())).ToList();
    }
}

/// <summary>
/// A lone (dev) agent gossips with nobody, so its coordinate stays at Vivaldi's origin, as a
/// single-node Consul's serf coordinate does.
/// </summary>
public sealed class LoneCoordinates(AgentConfig config) : INetworkCoordinates
{
    private static readonly Coordinate Origin = Coordinate.Origin(new VivaldiConfig());

    public Coordinate? Lan() => config.DisableCoordinates ? null : Origin;

    public IReadOnlyList<DatacenterCoordinates> Wan() => config.DisableCoordinates || !config.Server
        ? []
        : [new DatacenterCoordinates(config.Datacenter, [(config.NodeName, Origin)])];
}
