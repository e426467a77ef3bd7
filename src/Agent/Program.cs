using Consul.Agent.Config;
using Consul.Agent.Hosting;

namespace Consul.Agent;

/// <summary>`consul`: `agent` runs an agent; every other subcommand is an HTTP API client.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "agent") return await RunAgentAsync(args[1..]);
        Console.Error.WriteLine("consul: only `agent` is available in this build");
        return 1;
    }

    private static async Task<int> RunAgentAsync(string[] args)
    {
        AgentConfig config;
        try
        {
            config = new AgentConfig { Dev = args.Contains("-dev"), Server = true, Bootstrap = true, UiEnabled = true };
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"==> {e.Message}");
            return 1;
        }
        Console.Write(Banner.Render(config));
        await using var app = AgentHost.Build(config);
        try
        {
            await app.RunAsync();
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"==> Error starting agent: {e.Message}");
            return 1;
        }
        return 0;
    }
}
