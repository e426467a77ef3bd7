namespace Consul.Agent.Cli;

/// <summary>
/// What a command may touch: the three standard streams, the environment and a
/// shutdown signal (Ctrl-C). Output helpers add "\n" like mitchellh/cli's BasicUi.
/// </summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, TextReader stdin,
    IReadOnlyDictionary<string, string?> env, CancellationToken cancellation)
{
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;
    public TextReader Stdin { get; } = stdin;
    public IReadOnlyDictionary<string, string?> Env { get; } = env;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>BasicUi.Output / Info: a line on stdout.</summary>
    public void Out(string line) => Stdout.Write(line + "\n");

    /// <summary>BasicUi.Error: a line on stderr.</summary>
    public void Err(string line) => Stderr.Write(line + "\n");
}
