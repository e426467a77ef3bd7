namespace Consul.Agent.Cli;

/// <summary>One `consul` subcommand, as mitchellh/cli sees it: synopsis, help and Run.</summary>
internal abstract class CliCommand
{
    /// <summary>Exit code asking the dispatcher to print this command's help (cli.RunResultHelp).</summary>
    public const int RunResultHelp = -18511;

    public abstract string Synopsis { get; }
    public abstract string Help { get; }
    public abstract Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx);
}

/// <summary>A command that only groups subcommands ("kv", "catalog"): running it prints help.</summary>
internal sealed class ParentCommand(string synopsis, string help) : CliCommand
{
    public override string Synopsis => synopsis;
    public override string Help => help;
    public override Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx) => Task.FromResult(RunResultHelp);
}

/// <summary>
/// Base for commands that talk to the agent's HTTP API: owns the Go flag set with the
/// common HTTP flags and renders help in Consul's layout.
/// </summary>
internal abstract class ApiCommand : CliCommand
{
    protected GoFlagSet Flags { get; } = new();
    protected HttpApiFlags Http { get; } = new();

    /// <summary>The command's own help text (Consul's `help` constant).</summary>
    protected abstract string HelpText { get; }

    public override string Help => ConsulUsage.Format(HelpText, Flags);

    /// <summary>Which enterprise tenancy flags a command takes.</summary>
    protected enum Tenancy { None, Partition, MultiTenancy }

    /// <summary>Registers the client flags and, if asked, -datacenter/-stale and -namespace/-partition.</summary>
    protected void AddHttpFlags(bool serverFlags, Tenancy tenancy = Tenancy.None)
    {
        Http.AddClientFlags(Flags);
        if (serverFlags) Http.AddServerFlags(Flags);
        if (tenancy == Tenancy.Partition) Http.AddPartitionFlag(Flags);
        if (tenancy == Tenancy.MultiTenancy) Http.AddMultiTenancyFlags(Flags);
    }

    /// <summary>Go's flags.Parse; null means a parse error was already printed (exit 1).</summary>
    protected IReadOnlyList<string>? ParseFlags(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            return Flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException)
        {
            return null;
        }
    }

    /// <summary>c.http.APIClient(); null after printing "Error connecting to Consul agent".</summary>
    protected ConsulApiClient? CreateClient(CliContext ctx, string prefix = "Error connecting to Consul agent")
    {
        try
        {
            return Http.CreateClient(ctx);
        }
        catch (CliApiException e)
        {
            ctx.Err($"{prefix}: {e.Message}");
            return null;
        }
    }

    /// <summary>Query parameters for reads that honour -stale (AllowStale sets "stale=").</summary>
    protected List<KeyValuePair<string, string>> ReadQuery()
    {
        var q = new List<KeyValuePair<string, string>>();
        if (Http.Stale) q.Add(new("stale", ""));
        return q;
    }
}
