using System.Text;

namespace Consul.Agent.Cli;

/// <summary>`consul kv put`: write, check-and-set, acquire or release a key (command/kv/put).</summary>
internal sealed class KvPutCommand : ApiCommand
{
    private bool _cas, _base64, _acquire, _release;
    private ulong _flags, _modifyIndex;
    private string _session = "";

    public KvPutCommand()
    {
        Flags.Bool("cas", "Perform a Check-And-Set operation. Specifying this value also " +
                          "requires the -modify-index flag to be set. The default value " +
                          "is false.", v => _cas = v);
        Flags.Uint64("flags", "Unsigned integer value to assign to this key-value pair. This " +
                              "value is not read by Consul, so clients can use this value however " +
                              "makes sense for their use case. The default value is 0 (no flags).", v => _flags = v);
        Flags.Bool("base64", "Treat the data as base 64 encoded. The default value is false.", v => _base64 = v);
        Flags.Uint64("modify-index", "Unsigned integer representing the ModifyIndex of the key. This is " +
                                     "used in combination with the -cas flag.", v => _modifyIndex = v);
        Flags.String("session", "User-defined identifer for this session as a string. This is commonly " +
                                "used with the -acquire and -release operations to build robust locking, " +
                                "but it can be set on any key. The default value is empty (no session).", v => _session = v);
        Flags.Bool("acquire", "Obtain a lock on the key. If the key does not exist, this operation " +
                              "will create the key and obtain the lock. The session must already " +
                              "exist and be specified via the -session flag. The default value is false.", v => _acquire = v);
        Flags.Bool("release", "Forfeit the lock on the key at the given path. This requires the " +
                              "-session flag to be set. The key must be held by the session in order to " +
                              "be unlocked. The default value is false.", v => _release = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override string Synopsis => "Sets or updates data in the KV store";

    protected override string HelpText => """

        Usage: consul kv put [options] KEY [DATA]

          Writes the data to the given path in the key-value store. The data can be of
          any type.

              $ consul kv put config/redis/maxconns 5

          The data can also be consumed from a file on disk by prefixing with the "@"
          symbol. For example:

              $ consul kv put config/program/license @license.lic

          Or it can be read from stdin using the "-" symbol:

              $ echo "abcd1234" | consul kv put config/program/license -

          The DATA argument itself is optional. If omitted, this will create an empty
          key-value pair at the specified path:

              $ consul kv put webapp/beta/active

          If the -base64 flag is specified, the data will be treated as base 64
          encoded.

          To perform a Check-And-Set operation, specify the -cas flag with the
          appropriate -modify-index flag corresponding to the key you want to perform
          the CAS operation on:

              $ consul kv put -cas -modify-index=844 config/redis/maxconns 5

          Additional flags and more advanced use cases are detailed below.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        string key;
        byte[] data;
        try
        {
            (key, data) = await DataFromArgs(rest, ctx);
        }
        catch (CliUsageException e)
        {
            ctx.Err($"Error! {e.Message}");
            return 1;
        }

        var bytes = data;
        if (_base64)
        {
            // Consul reports a bad encoding but still writes what decoded (nothing, here).
            if (GoBase64.TryDecode(Encoding.UTF8.GetString(data), out var decoded, out var err)) bytes = decoded;
            else
            {
                ctx.Err($"Error! Cannot base 64 decode data: {err}");
                bytes = [];
            }
        }
        if ((_release || _acquire) && _session.Length == 0)
        {
            ctx.Err("Error! Missing -session (required with -acquire and -release)");
            return 1;
        }
        if (_cas && _modifyIndex == 0)
        {
            ctx.Err("Must specify -modify-index with -cas!");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;

        var query = new List<KeyValuePair<string, string>>();
        if (_flags != 0) query.Add(new("flags", _flags.ToString()));
        if (_cas) query.Add(new("cas", _modifyIndex.ToString()));
        else if (_acquire) query.Add(new("acquire", _session));
        else if (_release) query.Add(new("release", _session));

        bool ok;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/kv/" + key, query, bytes, "application/octet-stream");
            ok = resp.Text.Trim() == "true";
        }
        catch (CliApiException e)
        {
            if (_cas) ctx.Err($"Error! Did not write to {key}: {e.Message}");
            else if (_release) ctx.Err($"Error! Failed writing data: {key}");
            else ctx.Err($"Error! Failed writing data: {e.Message}");
            return 1;
        }

        if (_cas)
        {
            if (!ok)
            {
                ctx.Err($"Error! Did not write to {key}: CAS failed");
                return 1;
            }
            ctx.Out($"Success! Data written to: {key}");
        }
        else if (_acquire)
        {
            if (!ok)
            {
                ctx.Err("Error! Did not acquire lock");
                return 1;
            }
            ctx.Out($"Success! Lock acquired on: {key}");
        }
        else if (_release)
        {
            if (!ok)
            {
                ctx.Err("Error! Did not release lock");
                return 1;
            }
            ctx.Out($"Success! Lock released on: {key}");
        }
        else
        {
            ctx.Out($"Success! Data written to: {key}");
        }
        return 0;
    }

    private static async Task<(string Key, byte[] Data)> DataFromArgs(IReadOnlyList<string> args, CliContext ctx)
    {
        switch (args.Count)
        {
            case 0: throw new CliUsageException("Missing KEY argument");
            case 1: return (args[0], []);
            case 2: break;
            default: throw new CliUsageException($"Too many arguments (expected 1 or 2, got {args.Count})");
        }
        return (args[0], await CliData.ReadValueAsync(args[1], ctx));
    }
}

/// <summary>An argument problem; the message is printed after "Error! ".</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>The DATA argument forms shared by kv put and kv import: literal, @file, or - for stdin.</summary>
internal static class CliData
{
    public static async Task<byte[]> ReadValueAsync(string data, CliContext ctx)
    {
        if (data.Length == 0) return [];
        switch (data[0])
        {
            case '@':
                var path = data[1..];
                try
                {
                    return await File.ReadAllBytesAsync(path, ctx.Cancellation);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliUsageException($"Failed to read file: {GoErrors.OpenError(path, e)}");
                }
            case '-':
                if (data.Length > 1) return Encoding.UTF8.GetBytes(data);
                return Encoding.UTF8.GetBytes(await ctx.Stdin.ReadToEndAsync(ctx.Cancellation));
            default:
                return Encoding.UTF8.GetBytes(data);
        }
    }
}

/// <summary>Go's base64.StdEncoding.DecodeString: strict padding, error names the byte offset.</summary>
internal static class GoBase64
{
    public static bool TryDecode(string s, out byte[] bytes, out string error)
    {
        bytes = [];
        error = "";
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            var valid = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '\r' or '\n';
            if (c == '=')
            {
                // Padding may only close the final quantum.
                var pos = s.Replace("\r", "").Replace("\n", "").Length;
                valid = pos % 4 == 0 && i >= s.Length - 2;
            }
            if (!valid)
            {
                error = $"illegal base64 data at input byte {i}";
                return false;
            }
        }
        try
        {
            bytes = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            var clean = s.Replace("\r", "").Replace("\n", "");
            error = $"illegal base64 data at input byte {clean.Length - clean.Length % 4}";
            return false;
        }
    }
}
