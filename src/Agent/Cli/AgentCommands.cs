using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul info`: the agent's Stats sections, keys sorted (command/info).</summary>
internal sealed class InfoCommand : ApiCommand
{
    public InfoCommand() => AddHttpFlags(serverFlags: false);

    public override string Synopsis => "Provides debugging information for operators.";

    protected override string HelpText => """

        Usage: consul info [options]

          Provides debugging information for operators.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        JsonObject self;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/self");
            self = JsonNode.Parse(resp.Body) as JsonObject ?? [];
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying agent: {e.Message}");
            return 1;
        }
        if (self["Stats"] is not JsonObject stats)
        {
            ctx.Err($"Agent response did not contain 'Stats' key: {self.ToJsonString()}");
            return 1;
        }
        foreach (var (section, values) in stats.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            ctx.Out(section + ":");
            if (values is not JsonObject sub)
            {
                ctx.Err($"Got invalid subkey in stats: {values?.ToJsonString()}");
                return 1;
            }
            foreach (var (key, value) in sub.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                ctx.Out($"\t{key} = {(value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString())}");
        }
        return 0;
    }
}

/// <summary>`consul keygen`: a new 32-byte gossip encryption key in base64 (command/keygen).</summary>
internal sealed class KeygenCommand : CliCommand
{
    private readonly GoFlagSet _flags = new();

    public override string Synopsis => "Generates a new encryption key";

    public override string Help => ConsulUsage.Format("""
        Usage: consul keygen

          Generates a new encryption key that can be used to configure the
          agent to encrypt traffic. The output of this command is already
          in the proper format that the agent expects.
        """, _flags);

    public override Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            _flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException)
        {
            return Task.FromResult(1);
        }
        // Key material must come from the OS CSPRNG (crypto/rand), never a seeded Random.
        ctx.Out(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        return Task.FromResult(0);
    }
}

/// <summary>`consul reload` (command/reload).</summary>
internal sealed class ReloadCommand : ApiCommand
{
    public ReloadCommand() => AddHttpFlags(serverFlags: false);

    public override string Synopsis => "Triggers the agent to reload configuration files";

    protected override string HelpText => """

        Usage: consul reload

          Causes the agent to reload configurations. This can be used instead
          of sending the SIGHUP signal to the agent.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        try
        {
            await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/reload");
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error reloading: {e.Message}");
            return 1;
        }
        ctx.Out("Configuration reload triggered");
        return 0;
    }
}

/// <summary>`consul leave` (command/leave).</summary>
internal sealed class LeaveCommand : ApiCommand
{
    public LeaveCommand() => AddHttpFlags(serverFlags: false);

    public override string Synopsis => "Gracefully leaves the Consul cluster and shuts down";

    protected override string HelpText => """

        Usage: consul leave [options]

          Causes the agent to gracefully leave the Consul cluster and shutdown.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 0)
        {
            ctx.Err($"Error found unexpected args: [{string.Join(' ', rest)}]");
            ctx.Out(Help);
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        try
        {
            await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/leave");
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error leaving: {e.Message}");
            return 1;
        }
        ctx.Out("Graceful leave complete");
        return 0;
    }
}

/// <summary>`consul join` (command/join).</summary>
internal sealed class JoinCommand : ApiCommand
{
    private bool _wan;

    public JoinCommand()
    {
        Flags.Bool("wan", "Joins a server to another server in the WAN pool.", v => _wan = v);
        AddHttpFlags(serverFlags: false, Tenancy.Partition);
    }

    public override string Synopsis => "Tell Consul agent to join cluster";

    protected override string HelpText => """

        Usage: consul join [options] address ...

          Tells a running Consul agent (with "consul agent") to join the cluster
          by specifying at least one existing member.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } addrs) return 1;
        if (addrs.Count == 0)
        {
            ctx.Err("At least one address to join must be specified.");
            ctx.Err("");
            ctx.Err(Help);
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var joins = 0;
        foreach (var addr in addrs)
        {
            try
            {
                await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/join/" + addr, _wan ? [new("wan", "1")] : null);
                joins++;
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error joining address '{addr}': {e.Message}");
            }
        }
        if (joins == 0)
        {
            ctx.Err("Failed to join any nodes.");
            return 1;
        }
        ctx.Out($"Successfully joined cluster by contacting {joins} nodes.");
        return 0;
    }
}

/// <summary>`consul force-leave` (command/forceleave).</summary>
internal sealed class ForceLeaveCommand : ApiCommand
{
    private bool _prune, _wan;

    public ForceLeaveCommand()
    {
        Flags.Bool("prune", "Remove agent completely from list of members", v => _prune = v);
        Flags.Bool("wan", "Exclusively leave the agent from the WAN serf pool.", v => _wan = v);
        AddHttpFlags(serverFlags: false, Tenancy.Partition);
    }

    public override string Synopsis => "Forces a member of the cluster to enter the \"left\" state";

    protected override string HelpText => """

        Usage: consul force-leave [options] name

          Forces a member of a Consul cluster to enter the "left" state. Note
          that if the member is still actually alive, it will eventually rejoin
          the cluster. This command is most useful for cleaning out "failed" nodes
          that are never coming back. If you do not force leave a failed node,
          Consul will attempt to reconnect to those failed nodes for some period of
          time before eventually reaping them.

          -prune    Remove agent completely from list of members
          -wan      Exclusively leave the agent from the WAN serf pool.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } nodes) return 1;
        if (nodes.Count != 1)
        {
            ctx.Err("A single node name must be specified to force leave.");
            ctx.Err("");
            ctx.Err(Help);
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var q = new List<KeyValuePair<string, string>>();
        if (_prune) q.Add(new("prune", "1"));
        if (_wan) q.Add(new("wan", "1"));
        try
        {
            await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/force-leave/" + nodes[0], q);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error force leaving: {e.Message}");
            return 1;
        }
        return 0;
    }
}
