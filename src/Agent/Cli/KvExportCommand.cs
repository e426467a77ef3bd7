using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul kv export`: a prefix as a JSON array of {key, flags, value} (command/kv/exp).</summary>
internal sealed class KvExportCommand : ApiCommand
{
    public KvExportCommand() => AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);

    public override string Synopsis => "Exports a tree from the KV store as JSON";

    protected override string HelpText => """

        Usage: consul kv export [KEY_OR_PREFIX]

          Retrieves key-value pairs for the given prefix from Consul's key-value store,
          and writes a JSON representation to stdout. This can be used with the command
          "consul kv import" to move entire trees between Consul clusters.

              $ consul kv export vault

          For a full list of options and examples, please see the Consul documentation.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 1)
        {
            ctx.Err($"Too many arguments (expected 1, got {rest.Count})");
            return 1;
        }
        var key = KvPair.TrimKey(rest.Count == 1 ? rest[0] : "");
        if (CreateClient(ctx) is not { } client) return 1;

        List<KvPair> pairs;
        try
        {
            var q = ReadQuery();
            q.Add(new("recurse", ""));
            var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + key, q);
            if (resp.StatusCode == 404) pairs = [];
            else if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
            else pairs = KvPair.ListFrom(resp.Body);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying Consul agent: {e.Message}");
            return 1;
        }

        var array = new JsonArray();
        foreach (var p in pairs)
            array.Add(new JsonObject { ["key"] = p.Key, ["flags"] = p.Flags, ["value"] = Convert.ToBase64String(p.Value) });
        // json.MarshalIndent of an empty slice is "[]".
        ctx.Out(pairs.Count == 0 ? "[]" : GoJson.Indent(array, "\t"));
        return 0;
    }
}
