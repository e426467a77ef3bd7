using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Queries;

namespace Consul.Agent.Cli;

/// <summary>`consul rtt`: the round-trip time the network coordinates estimate between two nodes (command/rtt).</summary>
internal sealed class RttCommand : ApiCommand
{
    private bool _wan;

    public RttCommand()
    {
        Flags.Bool("wan", "Use WAN coordinates instead of LAN coordinates.", v => _wan = v);
        AddHttpFlags(serverFlags: false);
    }

    public override string Synopsis => "Estimates network round trip time between nodes";

    protected override string HelpText => """

        Usage: consul rtt [options] node1 [node2]

          Estimates the round trip time between two nodes using Consul's network
          coordinate model of the cluster.

          At least one node name is required. If the second node name isn't given, it
          is set to the agent's node name. Note that these are node names as known to
          Consul as "consul members" would show, not IP addresses.

          By default, the two nodes are assumed to be nodes in the local datacenter
          and the LAN coordinates are used. If the -wan option is given, then the WAN
          coordinates are used, and the node names must be suffixed by a period and
          the datacenter (eg. "myserver.dc1").

          It is not possible to measure between LAN coordinates and WAN coordinates
          because they are maintained by independent Serf gossip areas, so they are
          not compatible.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } positional) return 1;
        if (positional.Count is < 1 or > 2)
        {
            ctx.Err("One or two node names must be specified");
            ctx.Err("");
            ctx.Err(Help);
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var nodes = positional.ToList();
        Coordinate? first, second;
        try
        {
            if (nodes.Count < 2)
            {
                var self = JsonNode.Parse((await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/self")).Body)?["Config"];
                var name = self?["NodeName"]?.GetValue<string>() ?? "";
                nodes.Add(_wan ? $"{name}.{self?["Datacenter"]?.GetValue<string>()}" : name);
            }
            if (_wan)
            {
                var (n1, dc1) = SplitWan(nodes[0]);
                var (n2, dc2) = SplitWan(nodes[1]);
                if (n1 is null || n2 is null)
                {
                    ctx.Err("Node names must be specified as <node name>.<datacenter> with -wan");
                    return 1;
                }
                var maps = JsonNode.Parse((await client.RequireOkAsync(HttpMethod.Get, "/v1/coordinate/datacenters")).Body)?.AsArray() ?? [];
                (first, second) = (FindWan(maps, n1, dc1!), FindWan(maps, n2, dc2!));
            }
            else
            {
                var entries = JsonNode.Parse((await client.RequireOkAsync(HttpMethod.Get, "/v1/coordinate/nodes")).Body)?.AsArray() ?? [];
                (first, second) = RttSort.Intersect(Segments(entries, nodes[0]), Segments(entries, nodes[1]));
            }
        }
        catch (CliApiException e)
        {
            ctx.Err(nodes.Count < 2 ? $"Unable to look up agent info: {e.Message}" : $"Error getting coordinates: {e.Message}");
            return 1;
        }
        if (first is null || second is null)
        {
            ctx.Err($"Could not find a coordinate for node \"{(first is null ? nodes[0] : nodes[1])}\"");
            return 1;
        }
        var ms = first.DistanceTo(second).TotalSeconds * 1000.0;
        ctx.Out($"Estimated {nodes[0]} <-> {nodes[1]} rtt: {ms.ToString("F3", CultureInfo.InvariantCulture)} ms (using {(_wan ? "WAN" : "LAN")} coordinates)");
        return 0;
    }

    private static (string? Node, string? Dc) SplitWan(string name) =>
        name.Split('.') is [var node, var dc] ? (node, dc) : (null, null);

    /// <summary>A server's WAN coordinate; both sides come from the one WAN area, so any two compare.</summary>
    private static Coordinate? FindWan(JsonArray maps, string node, string dc) =>
        maps.Where(m => m?["Datacenter"]?.GetValue<string>() == dc)
            .SelectMany(m => m?["Coordinates"]?.AsArray() ?? [])
            .Where(e => string.Equals(e?["Node"]?.GetValue<string>(), node, StringComparison.OrdinalIgnoreCase))
            .Select(e => Parse(e?["Coord"]))
            .FirstOrDefault(c => c is not null);

    /// <summary>A node's coordinates by segment (node names compared ignoring case, as Consul does).</summary>
    private static Dictionary<string, Coordinate> Segments(JsonArray entries, string node)
    {
        var set = new Dictionary<string, Coordinate>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (!string.Equals(e?["Node"]?.GetValue<string>(), node, StringComparison.OrdinalIgnoreCase)) continue;
            if (Parse(e?["Coord"]) is { } c) set[e?["Segment"]?.GetValue<string>() ?? ""] = c;
        }
        return set;
    }

    private static Coordinate? Parse(JsonNode? coord)
    {
        if (coord is null) return null;
        try
        {
            return coord.Deserialize<Coordinate>() is { } c && c.IsValid() ? c : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
