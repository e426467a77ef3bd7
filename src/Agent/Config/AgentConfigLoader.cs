namespace Consul.Agent.Config;

/// <summary>
/// Builds the agent's configuration the way `consul agent` does: built-in defaults (and -dev
/// defaults), list-valued flags, config files in order, the remaining flags, then -hcl
/// fragments; the merged result is validated with Consul's rules and messages.
/// </summary>
public static class AgentConfigLoader
{
    /// <summary>
    /// Parses <paramref name="args"/> (the arguments after "agent") and loads the config.
    /// Consul's agent reads no environment variables for its configuration, so
    /// <paramref name="env"/> is accepted for symmetry with the CLI and not consulted.
    /// Throws <see cref="ConfigException"/> with the message `consul agent` prints.
    /// </summary>
    public static AgentConfig Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env = null) =>
        Load(args, env, new LoadOptions());

    /// <summary>As <see cref="Load(IReadOnlyList{string}, IReadOnlyDictionary{string, string?}?)"/>, with the generator for new node IDs.</summary>
    public static AgentConfig Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env, Random random) =>
        Load(args, env, new LoadOptions { Random = random });

    /// <summary>
    /// For `consul agent`: loads the config, or prints the error the way Consul does
    /// ("==> " + message on stderr; usage for -h) and returns exit code 1.
    /// </summary>
    public static int LoadOrReport(IReadOnlyList<string> args, TextWriter stderr, out AgentConfig? config,
        IReadOnlyDictionary<string, string?>? env = null) =>
        LoadOrReport(args, stderr, out config, env, new LoadOptions());

    internal static int LoadOrReport(IReadOnlyList<string> args, TextWriter stderr, out AgentConfig? config,
        IReadOnlyDictionary<string, string?>? env, LoadOptions options)
    {
        config = null;
        try
        {
            config = Load(args, env, options);
            return 0;
        }
        catch (ConfigException e) when (e.Message == AgentFlagParser.HelpRequested)
        {
            stderr.WriteLine(AgentFlagParser.Usage);
            return 1;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine("==> " + e.Message);
            return 1;
        }
    }

    internal static AgentConfig Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env, LoadOptions options)
    {
        var config = Build(AgentFlagParser.Parse(args), options);
        // Consul checks the level when it sets up logging, after loading (so `consul validate` accepts it).
        if (!AllowedLogLevels.Contains(config.LogLevel.ToUpperInvariant()))
            throw new ConfigException($"Invalid log level: {config.LogLevel}. Valid log levels are: [{string.Join(" ", AllowedLogLevels)}]");
        // Checked by Consul's server/client setup (consul.Config.CheckProtocolVersion).
        if (config.Protocol < MinProtocol)
            throw new ConfigException($"Protocol version '{config.Protocol}' too low. Must be in range: [{MinProtocol}, {MaxProtocol}]");
        if (config.Protocol > MaxProtocol)
            throw new ConfigException($"Protocol version '{config.Protocol}' too high. Must be in range: [{MinProtocol}, {MaxProtocol}]");
        return config;
    }

    private const int MinProtocol = 2;
    private const int MaxProtocol = 3;

    private static readonly string[] AllowedLogLevels = ["TRACE", "DEBUG", "INFO", "WARN", "ERR", "ERROR"];

    internal static AgentConfig Build(AgentFlags flags, LoadOptions options)
    {
        if (flags.ConfigFormat is not ("" or "json" or "hcl"))
            throw new ConfigException("config: -config-format must be either 'hcl' or 'json'");
        var dev = flags.Dev ?? false;
        var warnings = new List<string>();
        var names = new List<string> { "default" };
        var merged = DefaultConfig.Defaults();
        if (dev)
        {
            ConfigMerger.MergeInto(merged, DefaultConfig.Dev());
            names.Add("dev");
        }
        // Flag lists go before the files so that file lists are appended after them (Consul's order).
        ConfigMerger.MergeInto(merged, flags.Slices);

        var fileSources = new List<ConfigSourceReader.Source>();
        foreach (var path in flags.ConfigFiles)
            fileSources.AddRange(ConfigSourceReader.Read(path, flags.ConfigFormat, warnings));
        foreach (var source in fileSources)
        {
            if (MergeSource(merged, source.Name, source.Format, source.Text, warnings)) names.Add(source.Name);
        }
        ConfigMerger.MergeInto(merged, flags.Values);
        names.Add("flags");
        for (var i = 0; i < flags.Hcl.Count; i++)
        {
            var name = $"flags-{i}.hcl";
            if (MergeSource(merged, name, "hcl", flags.Hcl[i], warnings)) names.Add(name);
        }
        foreach (var (name, tree) in options.Overrides)
        {
            ConfigMerger.MergeInto(merged, tree);
            names.Add(name);
        }

        var builder = new AgentConfigBuilder(new ConfigTree(merged), dev, options, warnings);
        var config = builder.Build(names);
        builder.Validate(config);

        return config with
        {
            NodeId = NodeIdentity.Resolve(config.NodeId, config.DataDir, options.Random, options.PersistNodeId,
                config.DisableHostNodeId ? null : options.HostId),
            // A -dev server elects itself without bootstrap settings; say so explicitly.
            Bootstrap = config.Bootstrap || (dev && config.Server),
        };
    }

    /// <summary>Parses, decodes and merges one source; false when it holds no data.</summary>
    private static bool MergeSource(Dictionary<string, object?> merged, string name, string format, string text, List<string> warnings)
    {
        if (text.Length == 0) return false;
        Dictionary<string, object?> raw;
        try
        {
            raw = format switch
            {
                "json" => JsonConfigReader.Parse(text),
                "hcl" => HclConfigReader.Parse(text),
                _ => throw new FormatException($"invalid format: {format}"),
            };
        }
        catch (FormatException e)
        {
            throw new ConfigException($"failed to parse {name}: {e.Message}");
        }
        var (tree, decodeWarnings) = ConfigDecoder.Decode(name, raw);
        warnings.AddRange(decodeWarnings);
        DeprecatedConfig.Apply(tree, warnings);
        ConfigMerger.FoldSingulars(tree);
        ConfigMerger.MergeInto(merged, tree);
        return true;
    }
}
