namespace Consul.Agent.Cli;

/// <summary>`consul monitor`: streams the agent's log lines until Ctrl-C or the agent hangs up (command/monitor).</summary>
internal sealed class MonitorCommand : ApiCommand
{
    private string _logLevel = "INFO";
    private bool _logJson;

    public MonitorCommand()
    {
        AddHttpFlags(serverFlags: false);
        Flags.String("log-level", "Log level of the agent.", v => _logLevel = v, "INFO");
        Flags.Bool("log-json", "Output logs in JSON format.", v => _logJson = v);
    }

    public override string Synopsis => "Stream logs from a Consul agent";

    protected override string HelpText => """

        Usage: consul monitor [options]

          Shows recent log messages of a Consul agent, and attaches to the agent,
          outputting log messages as they occur in real time. The monitor lets you
          listen for log levels that may be filtered out of the Consul agent. For
          example your agent may only be logging at INFO level, but with the monitor
          you can see the DEBUG level logs.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var q = new List<KeyValuePair<string, string>> { new("loglevel", _logLevel) };
        if (_logJson) q.Add(new("logjson", "true"));
        HttpResponseMessage response;
        try
        {
            response = await client.OpenStreamAsync("/v1/agent/monitor", q);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error starting monitor: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        using (response)
        {
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ctx.Cancellation);
                using var reader = new StreamReader(stream);
                while (await reader.ReadLineAsync(ctx.Cancellation) is { } line)
                {
                    // The Go client stops at the first empty line, as the channel's zero value.
                    if (line.Length == 0) break;
                    ctx.Out(line);
                }
            }
            catch (OperationCanceledException) when (ctx.Cancellation.IsCancellationRequested)
            {
                return 0;
            }
            catch (IOException)
            {
                // The agent went away mid-stream; reported below like an orderly end.
            }
        }
        ctx.Out("");
        ctx.Out("Remote side ended the monitor! This usually means that the\n" +
                "remote side has exited or crashed.");
        return 1;
    }
}
