using System.Runtime.InteropServices;
using Consul.Agent.Cli;
using Consul.Agent.Config;
using Consul.Agent.Hosting;

namespace Consul.Agent;

/// <summary>`consul`: `agent` runs an agent, `validate` checks config; every other subcommand is an HTTP API client.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "agent") return await RunAgentAsync(args[1..]);
        if (args.Length > 0 && args[0] == "validate") return ValidateCommand.Run(args[1..], Console.Out, Console.Error);
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        return await CliDispatcher.RunAsync(args, Console.Out, Console.Error, Console.In, env);
    }

    private static async Task<int> RunAgentAsync(string[] args)
    {
        if (AgentConfigLoader.LoadOrReport(args, Console.Error, out var config) != 0 || config is null) return 1;
        Console.Write(Banner.Render(config));
        foreach (var warning in config.Warnings) Console.WriteLine($"==> {warning}");

        WebApplication app;
        try
        {
            app = AgentHost.Build(config);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            Console.Error.WriteLine($"==> Error starting agent: {e.Message}");
            return 1;
        }

        await using (app)
        {
            // /v1/agent/reload and `consul reload` re-read the same flags and config files.
            app.Services.GetRequiredService<AgentRuntime>().ReloadConfig = () => AgentConfigLoader.Load(args);
            // Say which signal ended the agent, as Consul does; the host then shuts down gracefully.
            var runtime = app.Services.GetRequiredService<AgentRuntime>();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ =>
            {
                runtime.Interrupted = true;
                Console.WriteLine("==> Caught signal: interrupt");
            });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => Console.WriteLine("==> Caught signal: terminated"));
            try
            {
                await app.StartAsync();
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"==> Error starting agent: {e.Message}");
                return 1;
            }
            PidFile.Write(config.PidFile);
            try
            {
                await app.WaitForShutdownAsync();
            }
            finally
            {
                PidFile.Delete(config.PidFile);
            }
        }
        return 0;
    }
}
