namespace Consul.Agent.Cli;

/// <summary>`consul kv delete`: one key, a prefix, or a check-and-set delete (command/kv/del).</summary>
internal sealed class KvDeleteCommand : ApiCommand
{
    private bool _cas, _recurse;
    private ulong _modifyIndex;

    public KvDeleteCommand()
    {
        Flags.Bool("cas", "Perform a Check-And-Set operation. Specifying this value also requires " +
                          "the -modify-index flag to be set. The default value is false.", v => _cas = v);
        Flags.Uint64("modify-index", "Unsigned integer representing the ModifyIndex of the key. This is " +
                                     "used in combination with the -cas flag.", v => _modifyIndex = v);
        Flags.Bool("recurse", "Recursively delete all keys with the path. The default value is false.", v => _recurse = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override string Synopsis => "Removes data from the KV store";

    protected override string HelpText => """

        Usage: consul kv delete [options] KEY_OR_PREFIX

          Removes the value from Consul's key-value store at the given path. If no
          key exists at the path, no action is taken.

          To delete the value for the key named "foo" in the key-value store:

              $ consul kv delete foo

          To delete all keys which start with "foo", specify the -recurse option:

              $ consul kv delete -recurse foo

          This will delete the keys named "foo", "food", and "foo/bar/zip" if they
          existed.

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
        if (key == "" && !_recurse)
        {
            ctx.Err("Error! Missing KEY argument");
            return 1;
        }
        if (_cas && _modifyIndex == 0)
        {
            ctx.Err("Cannot delete a key that does not exist. Provide a -modify-index greater than than 0.");
            return 1;
        }
        if (_modifyIndex != 0 && !_cas)
        {
            ctx.Err("Cannot specify -modify-index without -cas!");
            return 1;
        }
        if (_recurse && _cas)
        {
            ctx.Err("Cannot specify both -cas and -recurse!");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;

        if (_recurse)
        {
            try
            {
                await client.RequireOkAsync(HttpMethod.Delete, "/v1/kv/" + key, [new("recurse", "")]);
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error! Did not delete prefix {key}: {e.Message}");
                return 1;
            }
            ctx.Out($"Success! Deleted keys with prefix: {key}");
            return 0;
        }
        if (_cas)
        {
            bool ok;
            try
            {
                var resp = await client.RequireOkAsync(HttpMethod.Delete, "/v1/kv/" + key, [new("cas", _modifyIndex.ToString())]);
                ok = resp.Text.Contains("true", StringComparison.Ordinal);
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error! Did not delete key {key}: {e.Message}");
                return 1;
            }
            if (!ok)
            {
                ctx.Err($"Error! Did not delete key {key}: CAS failed");
                return 1;
            }
            ctx.Out($"Success! Deleted key: {key}");
            return 0;
        }
        try
        {
            await client.RequireOkAsync(HttpMethod.Delete, "/v1/kv/" + key);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error deleting key {key}: {e.Message}");
            return 1;
        }
        ctx.Out($"Success! Deleted key: {key}");
        return 0;
    }
}
