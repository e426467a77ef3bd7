using System.Text;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul kv get`: a value, a detailed entry, a recursive listing or keys (command/kv/get).</summary>
internal sealed class KvGetCommand : ApiCommand
{
    private bool _base64, _detailed, _keys, _recurse;
    private string _separator = "/";

    public KvGetCommand()
    {
        Flags.Bool("base64", "Base64 encode the value. The default value is false.", v => _base64 = v);
        Flags.Bool("detailed", "Provide additional metadata about the key in addition to the value such " +
                               "as the ModifyIndex and any flags that may have been set on the key. " +
                               "The default value is false.", v => _detailed = v);
        Flags.Bool("keys", "List keys which start with the given prefix, but not their values. " +
                           "This is especially useful if you only need the key names themselves. " +
                           "This option is commonly combined with the -separator option. The default " +
                           "value is false.", v => _keys = v);
        Flags.Bool("recurse", "Recursively look at all keys prefixed with the given path. The default " +
                              "value is false.", v => _recurse = v);
        Flags.String("separator", "String to use as a separator between keys. The default value is \"/\", " +
                                  "but this option is only taken into account when paired with the -keys flag.",
            v => _separator = v, "/");
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override string Synopsis => "Retrieves or lists data from the KV store";

    protected override string HelpText => """

        Usage: consul kv get [options] [KEY_OR_PREFIX]

          Retrieves the value from Consul's key-value store at the given key name. If no
          key exists with that name, an error is returned. If a key exists with that
          name but has no data, nothing is returned. If the name or prefix is omitted,
          it defaults to "" which is the root of the key-value store.

          To retrieve the value for the key named "foo" in the key-value store:

              $ consul kv get foo

          This will return the original, raw value stored in Consul. To view detailed
          information about the key, specify the "-detailed" flag. This will output all
          known metadata about the key including ModifyIndex and any user-supplied
          flags:

              $ consul kv get -detailed foo

          To treat the path as a prefix and list all keys which start with the given
          prefix, specify the "-recurse" flag:

              $ consul kv get -recurse foo

          This will return all key-value pairs. To just list the keys which start with
          the specified prefix, use the "-keys" option instead:

              $ consul kv get -keys foo

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
        if (key == "" && !(_recurse || _keys))
        {
            ctx.Err("Error! Missing KEY argument");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;

        try
        {
            if (_keys) return await ListKeys(client, key, ctx);
            if (_recurse) return await ListRecursive(client, key, ctx);
            return await GetOne(client, key, ctx);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying Consul agent: {e.Message}");
            return 1;
        }
    }

    private async Task<int> ListKeys(ConsulApiClient client, string key, CliContext ctx)
    {
        var q = ReadQuery();
        q.Add(new("keys", ""));
        if (_separator.Length > 0) q.Add(new("separator", _separator));
        var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + key, q);
        if (resp.StatusCode == 404) return 0;
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        foreach (var k in JsonNode.Parse(resp.Body)?.AsArray() ?? []) ctx.Out(k?.GetValue<string>() ?? "");
        return 0;
    }

    private async Task<int> ListRecursive(ConsulApiClient client, string key, CliContext ctx)
    {
        var q = ReadQuery();
        q.Add(new("recurse", ""));
        var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + key, q);
        if (resp.StatusCode == 404) return 0;
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        var pairs = KvPair.ListFrom(resp.Body);
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            if (_detailed)
            {
                ctx.Out(PrettyKvPair(pair, _base64));
                if (i < pairs.Count - 1) ctx.Out("");
            }
            else
            {
                ctx.Out($"{pair.Key}:{ValueText(pair.Value, _base64)}");
            }
        }
        return 0;
    }

    private async Task<int> GetOne(ConsulApiClient client, string key, CliContext ctx)
    {
        var resp = await client.SendAsync(HttpMethod.Get, "/v1/kv/" + key, ReadQuery());
        if (resp.StatusCode == 404)
        {
            ctx.Err($"Error! No key exists at: {key}");
            return 1;
        }
        if (resp.StatusCode != 200) throw ConsulApiClient.UnexpectedStatus(resp.StatusCode, resp.Text);
        var pairs = KvPair.ListFrom(resp.Body);
        if (pairs.Count == 0)
        {
            ctx.Err($"Error! No key exists at: {key}");
            return 1;
        }
        if (_detailed)
        {
            ctx.Out(PrettyKvPair(pairs[0], _base64));
            return 0;
        }
        // The raw value, byte for byte, followed by a newline.
        await ctx.Stdout.WriteAsync(Encoding.UTF8.GetString(pairs[0].Value) + "\n");
        return 0;
    }

    private static string ValueText(byte[] value, bool base64) =>
        base64 ? Convert.ToBase64String(value) : Encoding.UTF8.GetString(value);

    /// <summary>The -detailed block, aligned by tabwriter(0, 2, 6, ' ').</summary>
    internal static string PrettyKvPair(KvPair pair, bool base64)
    {
        var sb = new StringBuilder()
            .Append($"CreateIndex\t{pair.CreateIndex}\n")
            .Append($"Flags\t{pair.Flags}\n")
            .Append($"Key\t{pair.Key}\n")
            .Append($"LockIndex\t{pair.LockIndex}\n")
            .Append($"ModifyIndex\t{pair.ModifyIndex}\n")
            .Append(pair.Session == "" ? "Session\t-\n" : $"Session\t{pair.Session}\n")
            .Append($"Value\t{ValueText(pair.Value, base64)}");
        return TableFormat.TabWriter(sb.ToString());
    }
}
