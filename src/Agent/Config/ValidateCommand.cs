namespace Consul.Agent.Config;

/// <summary>
/// `consul validate [-quiet] [-config-format=hcl|json] FILE_OR_DIRECTORY...`: loads the given
/// files exactly as the agent would and reports the first problem.
/// </summary>
public static class ValidateCommand
{
    /// <summary>Runs the command; <paramref name="paths"/> are the arguments after "validate" (flags, then paths).</summary>
    public static int Run(IReadOnlyList<string> paths, TextWriter stdout, TextWriter stderr)
    {
        var args = paths;
        var quiet = false;
        var format = "";
        var i = 0;
        for (; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") { i++; break; }
            if (arg.Length < 2 || arg[0] != '-') break;
            var name = arg.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            switch (name)
            {
                case "quiet":
                    if (value is not null && !AgentFlagParser.TryParseGoBool(value, out quiet))
                        return Fail(stderr, $"invalid boolean value \"{value}\" for -quiet: strconv.ParseBool: parsing \"{value}\": invalid syntax");
                    if (value is null) quiet = true;
                    break;
                case "config-format":
                    if (value is null)
                    {
                        if (i + 1 >= args.Count) return Fail(stderr, "flag needs an argument: -config-format");
                        value = args[++i];
                    }
                    format = value;
                    break;
                case "help" or "h":
                    return Fail(stderr, Help);
                default:
                    return Fail(stderr, $"flag provided but not defined: -{name}");
            }
        }
        var files = args.Skip(i).ToList();
        if (files.Count < 1) return Fail(stderr, "Must specify at least one config file or directory");
        if (format is not ("" or "json" or "hcl")) return Fail(stderr, "-config-format must be either 'hcl' or 'json");

        var flags = new AgentFlags { ConfigFormat = format };
        flags.ConfigFiles.AddRange(files);
        try
        {
            AgentConfigLoader.Build(flags, new LoadOptions { PersistNodeId = false });
        }
        catch (ConfigException e)
        {
            return Fail(stderr, $"Config validation failed: {e.Message}");
        }
        if (!quiet) stdout.WriteLine("Configuration is valid!");
        return 0;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine(message);
        return 1;
    }

    private const string Help = """
        Usage: consul validate [options] FILE_OR_DIRECTORY...

          Performs a thorough sanity test on Consul configuration files. For each file
          or directory given, the validate command will attempt to parse the contents
          just as the "consul agent" command would, and catch any errors.

          This is useful to do a test of the configuration only, without actually
          starting the agent. This performs all of the validation the agent would, so
          this should be given the complete set of configuration files that are going
          to be loaded by the agent. This command cannot operate on partial
          configuration fragments since those won't pass the full agent validation.

          Returns 0 if the configuration is valid, or 1 if there are problems.

        Command Options

          -config-format=<string>
             Config files are in this format irrespective of their extension.
             Must be 'hcl' or 'json'

          -quiet
             When given, a successful run will produce no output.
        """;
}
