using System.Text;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>Flag value "key=value" accumulated into a map (Consul's flags.FlagMapValue).</summary>
internal static class FlagMap
{
    public static Func<string, string?> Into(Dictionary<string, string> map) => v =>
    {
        var idx = v.IndexOf('=');
        if (idx < 0) return $"Missing \"=\" value in argument: {v}";
        map[v[..idx]] = v[(idx + 1)..];
        return null;
    };

    /// <summary>api QueryOptions.NodeMeta: one "node-meta=key:value" per entry.</summary>
    public static IEnumerable<KeyValuePair<string, string>> NodeMetaQuery(Dictionary<string, string> meta) =>
        meta.Select(kv => new KeyValuePair<string, string>("node-meta", kv.Key + ":" + kv.Value));
}

/// <summary>`consul catalog datacenters` (command/catalog/list/dc).</summary>
internal sealed class CatalogDatacentersCommand : ApiCommand
{
    public CatalogDatacentersCommand() => AddHttpFlags(serverFlags: true);

    public override string Synopsis => "Lists all known datacenters";

    protected override string HelpText => """

        Usage: consul catalog datacenters [options]

          Retrieves the list of all known datacenters. This datacenters are sorted in
          ascending order based on the estimated median round trip time from the servers
          in this datacenter to the servers in the other datacenters.

          To retrieve the list of datacenters:

              $ consul catalog datacenters

          For a full list of options and examples, please see the Consul documentation.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 0)
        {
            ctx.Err($"Too many arguments (expected 0, got {rest.Count})");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/catalog/datacenters");
            foreach (var dc in JsonNode.Parse(resp.Body)?.AsArray() ?? []) ctx.Out(dc?.GetValue<string>() ?? "");
        }
        catch (CliApiException e)
        {
            // Consul prints the error but still exits 0 here.
            ctx.Err($"Error listing datacenters: {e.Message}");
        }
        return 0;
    }
}

/// <summary>`consul catalog nodes` (command/catalog/list/nodes).</summary>
internal sealed class CatalogNodesCommand : ApiCommand
{
    private bool _detailed;
    private string _near = "", _service = "", _filter = "";
    private readonly Dictionary<string, string> _nodeMeta = new(StringComparer.Ordinal);

    public CatalogNodesCommand()
    {
        Flags.String("filter", "Filter to use with the request", v => _filter = v);
        Flags.Bool("detailed", "Output detailed information about " +
                               "the nodes including their addresses and metadata.", v => _detailed = v);
        Flags.String("near", "Node name to sort the node list in ascending " +
                             "order based on estimated round-trip time from that node. " +
                             "Passing \"_agent\" will use this agent's node for sorting.", v => _near = v);
        Flags.Value("node-meta", "Metadata to " +
                                 "filter nodes with the given `key=value` pairs. This flag may be " +
                                 "specified multiple times to filter on multiple sources of metadata.", FlagMap.Into(_nodeMeta));
        Flags.String("service", "Service `id or name` to filter nodes. " +
                                "Only nodes which are providing the given service will be returned.", v => _service = v);
        AddHttpFlags(serverFlags: true, Tenancy.Partition);
    }

    public override string Synopsis => "Lists all nodes in the given datacenter";

    protected override string HelpText => """

        Usage: consul catalog nodes [options]

          Retrieves the list nodes registered in a given datacenter. By default, the
          datacenter of the local agent is queried.

          To retrieve the list of nodes:

              $ consul catalog nodes

          To print detailed information including full node IDs, tagged addresses, and
          metadata information:

              $ consul catalog nodes -detailed

          To list nodes which are running a particular service:

              $ consul catalog nodes -service=web

          To filter by node metadata:

              $ consul catalog nodes -node-meta="foo=bar"

          To sort nodes by estimated round-trip time from node-web:

              $ consul catalog nodes -near=node-web

          For a full list of options and examples, please see the Consul documentation.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 0)
        {
            ctx.Err($"Too many arguments (expected 0, got {rest.Count})");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        if (_filter.Length > 0)
        {
            try
            {
                _filter = Encoding.UTF8.GetString(await CliData.ReadValueAsync(_filter, ctx));
            }
            catch (CliUsageException e)
            {
                ctx.Err($"Could not process filter argument: {e.Message}");
                return 1;
            }
        }

        var q = new List<KeyValuePair<string, string>>();
        if (_near.Length > 0) q.Add(new("near", _near));
        q.AddRange(FlagMap.NodeMetaQuery(_nodeMeta));
        if (_filter.Length > 0) q.Add(new("filter", _filter));

        var nodes = new List<JsonNode>();
        try
        {
            var path = _service.Length > 0 ? "/v1/catalog/service/" + _service : "/v1/catalog/nodes";
            var resp = await client.RequireOkAsync(HttpMethod.Get, path, q);
            foreach (var n in JsonNode.Parse(resp.Body)?.AsArray() ?? [])
            {
                if (n is null) continue;
                // Service entries carry the node's fields, with NodeMeta for Meta.
                nodes.Add(_service.Length > 0
                    ? new JsonObject
                    {
                        ["ID"] = n["ID"]?.DeepClone(), ["Node"] = n["Node"]?.DeepClone(), ["Address"] = n["Address"]?.DeepClone(),
                        ["Datacenter"] = n["Datacenter"]?.DeepClone(), ["TaggedAddresses"] = n["TaggedAddresses"]?.DeepClone(),
                        ["Meta"] = n["NodeMeta"]?.DeepClone(),
                    }
                    : n);
            }
        }
        catch (CliApiException e)
        {
            ctx.Err(_service.Length > 0 ? $"Error listing nodes for service: {e.Message}" : $"Error listing nodes: {e.Message}");
            return 1;
        }

        if (nodes.Count == 0)
        {
            ctx.Err("No nodes match the given query - try expanding your search.");
            return 0;
        }

        const char d = TableFormat.Delim;
        var lines = new List<string>
        {
            _detailed ? string.Join(d, "Node", "ID", "Address", "DC", "TaggedAddresses", "Meta") : string.Join(d, "Node", "ID", "Address", "DC"),
        };
        foreach (var n in nodes)
        {
            var name = Str(n["Node"]);
            var id = Str(n["ID"]);
            if (_detailed)
            {
                lines.Add(string.Join(d, name, id, Str(n["Address"]), Str(n["Datacenter"]),
                    MapToKv(n["TaggedAddresses"]), MapToKv(n["Meta"])));
            }
            else
            {
                // Only the first group of the UUID in the short form.
                var dash = id.IndexOf('-');
                if (dash > 0) id = id[..dash];
                lines.Add(string.Join(d, name, id, Str(n["Address"]), Str(n["Datacenter"])));
            }
        }
        ctx.Out(TableFormat.Columnize(lines));
        return 0;
    }

    private static string Str(JsonNode? n) => n?.GetValue<string>() ?? "";

    private static string MapToKv(JsonNode? map) =>
        map is JsonObject o
            ? string.Join(", ", o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value?.GetValue<string>()}"))
            : "";
}

/// <summary>`consul catalog services` (command/catalog/list/services).</summary>
internal sealed class CatalogServicesCommand : ApiCommand
{
    private string _node = "";
    private bool _tags;
    private readonly Dictionary<string, string> _nodeMeta = new(StringComparer.Ordinal);

    public CatalogServicesCommand()
    {
        Flags.String("node", "Node `id or name` for which to list services.", v => _node = v);
        Flags.Value("node-meta", "Metadata to " +
                                 "filter nodes with the given `key=value` pairs. If specified, only " +
                                 "services running on nodes matching the given metadata will be returned. " +
                                 "This flag may be specified multiple times to filter on multiple sources " +
                                 "of metadata.", FlagMap.Into(_nodeMeta));
        Flags.Bool("tags", "Display each service's tags as a " +
                           "comma-separated list beside each service entry.", v => _tags = v);
        AddHttpFlags(serverFlags: true);
    }

    public override string Synopsis => "Lists all registered services in a datacenter";

    protected override string HelpText => """

        Usage: consul catalog services [options]

          Retrieves the list services registered in a given datacenter. By default, the
          datacenter of the local agent is queried.

          To retrieve the list of services:

              $ consul catalog services

          To include the services' tags in the output:

              $ consul catalog services -tags

          To list services which run on a particular node:

              $ consul catalog services -node=web

          To filter services on node metadata:

              $ consul catalog services -node-meta="foo=bar"

          For a full list of options and examples, please see the Consul documentation.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 0)
        {
            ctx.Err($"Too many arguments (expected 0, got {rest.Count})");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;

        var services = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var q = FlagMap.NodeMetaQuery(_nodeMeta).ToList();
        try
        {
            if (_node.Length > 0)
            {
                var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/catalog/node/" + _node, q);
                if (JsonNode.Parse(resp.Body)?["Services"] is JsonObject svcs)
                {
                    foreach (var (_, s) in svcs)
                    {
                        var name = s?["Service"]?.GetValue<string>() ?? "";
                        if (!services.TryGetValue(name, out var tags)) services[name] = tags = [];
                        tags.AddRange(Tags(s?["Tags"]));
                    }
                }
            }
            else
            {
                var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/catalog/services", q);
                if (JsonNode.Parse(resp.Body) is JsonObject all)
                    foreach (var (name, tags) in all) services[name] = Tags(tags).ToList();
            }
        }
        catch (CliApiException e)
        {
            ctx.Err(_node.Length > 0 ? $"Error listing services for node: {e.Message}" : $"Error listing services: {e.Message}");
            return 1;
        }

        if (services.Count == 0)
        {
            ctx.Err("No services match the given query - try expanding your search.");
            return 0;
        }
        if (_tags)
        {
            var sb = new StringBuilder();
            foreach (var (name, tags) in services)
            {
                tags.Sort(StringComparer.Ordinal);
                sb.Append(name).Append('\t').Append(string.Join(',', tags)).Append('\n');
            }
            ctx.Out(TableFormat.TabWriter(sb.ToString()).Trim());
        }
        else
        {
            foreach (var name in services.Keys) ctx.Out(name);
        }
        return 0;
    }

    private static IEnumerable<string> Tags(JsonNode? tags) =>
        tags is JsonArray a ? a.Select(t => t?.GetValue<string>() ?? "") : [];
}
