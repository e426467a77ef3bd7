using System.Text;
using System.Text.RegularExpressions;

namespace Consul.Agent.Cli;

/// <summary>
/// Routes `consul &lt;command&gt; ...` the way Consul's main.go and mitchellh/cli do:
/// -v/-version/--version before the command means "version"; -h/-help/--help anywhere means help for the
/// command found; nested commands ("kv put") match by longest prefix; an unknown or
/// missing command prints the command list to stderr and exits 127.
/// </summary>
public static class CliDispatcher
{
    /// <summary>Commands Program.cs runs itself; listed in the root help only.</summary>
    private static readonly Dictionary<string, string> ExternalCommands = new(StringComparer.Ordinal)
    {
        ["agent"] = "Runs a Consul agent",
        ["validate"] = "Validate config files/directories",
    };

    /// <summary>Runs one CLI invocation; Ctrl-C stops streaming commands such as monitor.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin,
        IReadOnlyDictionary<string, string?> env)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(args, new CliContext(stdout, stderr, stdin, env, cts.Token));
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static async Task<int> RunAsync(string[] args, CliContext ctx)
    {
        var commands = CommandRegistry.Create();

        var parsed = ParseArgs(args, commands);
        // Consul's main.go: -v, -version or --version before the command means `consul version`.
        if (parsed.IsVersion)
            return await commands["version"]().RunAsync([], ctx);

        if (parsed.IsHelp && parsed.Subcommand == "")
        {
            ctx.Stdout.Write(RootHelp(commands) + "\n");
            return 0;
        }

        if (!commands.TryGetValue(parsed.Subcommand, out var factory))
        {
            ctx.Stderr.Write(RootHelp(commands) + "\n");
            return 127;
        }

        var command = factory();
        if (parsed.IsHelp)
        {
            ctx.Stdout.Write(CommandHelp(parsed.Subcommand, command, commands));
            return 0;
        }

        if (parsed.TopFlags.Count > 0)
        {
            ctx.Stderr.Write("Invalid flags before the subcommand. If these flags are for\n" +
                             "the subcommand, please put them after the subcommand.\n\n");
            ctx.Stderr.Write(CommandHelp(parsed.Subcommand, command, commands));
            return 1;
        }

        int code;
        try
        {
            code = await command.RunAsync(parsed.SubcommandArgs, ctx);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            // A reply that is not what Consul would send; report it instead of crashing.
            ctx.Stderr.Write($"Error executing CLI: {e.Message}\n");
            return 1;
        }
        catch (OperationCanceledException) when (ctx.Cancellation.IsCancellationRequested)
        {
            return 1;
        }
        if (code == CliCommand.RunResultHelp)
        {
            ctx.Stderr.Write(CommandHelp(parsed.Subcommand, command, commands));
            return 1;
        }
        return code;
    }

    private sealed record ParsedArgs(string Subcommand, IReadOnlyList<string> SubcommandArgs, bool IsHelp, bool IsVersion,
        IReadOnlyList<string> TopFlags);

    // mitchellh/cli processArgs.
    private static ParsedArgs ParseArgs(string[] args, IReadOnlyDictionary<string, Func<CliCommand>> commands)
    {
        var subcommand = "";
        IReadOnlyList<string> subArgs = [];
        bool isHelp = false, isVersion = false;
        var topFlags = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--") break;
            if (arg is "-h" or "-help" or "--help")
            {
                isHelp = true;
                continue;
            }
            if (subcommand == "")
            {
                if (arg is "-v" or "-version" or "--version")
                {
                    isVersion = true;
                    continue;
                }
                if (arg.Length > 0 && arg[0] == '-') topFlags.Add(arg);
            }
            if (subcommand == "" && arg.Length > 0 && arg[0] != '-')
            {
                // An argument with a space can never name a command.
                if (arg.Contains(' ')) return new ParsedArgs("", [], isHelp, isVersion, topFlags);
                subcommand = arg;
                // Candidate words run up to the first flag, empty or spaced argument.
                var end = i;
                while (end < args.Length && args[end].Length > 0 && args[end][0] != '-' && !args[end].Contains(' ')) end++;
                var searchKey = string.Join(' ', args[i..end]);
                var longest = commands.Keys
                    .Where(k => searchKey.StartsWith(k, StringComparison.Ordinal))
                    .OrderByDescending(k => k.Length)
                    .FirstOrDefault();
                var consumed = i;
                if (longest is not null && Regex.IsMatch(searchKey, "^" + Regex.Escape(longest) + "( |$)"))
                {
                    subcommand = longest;
                    consumed += longest.Count(c => c == ' ');
                }
                subArgs = args[(consumed + 1)..];
            }
        }
        return new ParsedArgs(subcommand, subArgs, isHelp, isVersion, topFlags);
    }

    /// <summary>cli.BasicHelpFunc("consul") over the top-level commands.</summary>
    private static string RootHelp(IReadOnlyDictionary<string, Func<CliCommand>> commands)
    {
        var synopses = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, factory) in commands)
            if (!name.Contains(' ')) synopses[name] = factory().Synopsis;
        foreach (var (name, synopsis) in ExternalCommands) synopses[name] = synopsis;
        var width = synopses.Keys.Max(k => k.Length);
        var sb = new StringBuilder("Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n");
        foreach (var (name, synopsis) in synopses)
            sb.Append("    ").Append(name.PadRight(width)).Append("    ").Append(synopsis).Append('\n');
        return sb.ToString();
    }

    /// <summary>mitchellh/cli's default help template: the help, then immediate subcommands.</summary>
    private static string CommandHelp(string name, CliCommand command, IReadOnlyDictionary<string, Func<CliCommand>> commands)
    {
        var sb = new StringBuilder(command.Help);
        var prefix = name + " ";
        var subs = commands.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !k[prefix.Length..].Contains(' '))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (subs.Count > 0)
        {
            var longest = subs.Max(k => k.Length);
            sb.Append("\n\nSubcommands:");
            foreach (var k in subs)
            {
                var shortName = k[(k.LastIndexOf(' ') + 1)..];
                sb.Append("\n    ").Append(shortName).Append(' ', longest - k.Length).Append("    ").Append(commands[k]().Synopsis);
            }
        }
        return sb.Append('\n').ToString();
    }
}
