namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl set-agent-token TYPE TOKEN` (command/acl/agenttokens): PUT /v1/agent/token/TYPE.</summary>
internal sealed class AclSetAgentTokenCommand : AclCommand
{
    private static readonly HashSet<string> Types =
        ["default", "agent", "recovery", "replication", "config_file_service_registration", "dns"];

    public AclSetAgentTokenCommand()
    {
        AddHttpFlags(serverFlags: true);
        SealHelp();
    }

    public override string Synopsis => "Assign tokens for the Consul Agent's usage";

    protected override string HelpText => """

        Usage: consul acl set-agent-token [options] TYPE TOKEN

          This command will set the corresponding token for the agent to use. If token
          persistence is not enabled, then tokens uploaded this way are not persisted
          and if the agent reloads then the tokens will need to be set again.

          Token Types:

            default                           The default token is the token that the agent will use for
                                              both internal agent operations and operations initiated by
                                              the HTTP and DNS interfaces when no specific token is provided.
                                              If not set the agent will use the anonymous token.

            agent                             The token that the agent will use for internal agent operations.
                                              If not given then the default token is used for these operations.

            recovery                          This sets the token that can be used to access the Agent APIs in
                                              the event that the ACL datacenter cannot be reached.

            replication                       This is the token that the agent will use for replication
                                              operations. This token will need to be configured with read access
                                              to whatever data is being replicated.

            config_file_service_registration  This is the token that the agent uses to register services
                                              and checks defined in config files. This token needs to
                                              be configured with permission for the service or checks
                                              being registered. If not set, the default token is used.
                                              If a service or check definition contains a 'token'
                                              field, then that token is used instead.

            dns                               This is the token that the agent uses to request information
                                              needed to respond to DNS queries. If not set, the default
                                              token is used.

          Example:

            $ consul acl set-agent-token default c4d0f8df-3aba-4ab6-a7a0-35b760dc29a1
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        string type, token;
        try
        {
            (type, token) = await DataFromArgs(rest, ctx);
        }
        catch (CliUsageException e)
        {
            // "Error! ..." without the colon the other failures carry.
            ctx.Err($"Error! {e.Message}");
            return 1;
        }

        if (CreateClient(ctx, "Error connecting to Consul Agent") is not { } client) return 1;
        if (!Types.Contains(type))
        {
            ctx.Err("Unknown token type");
            return 1;
        }
        // Consul's client sends "recovery" to the agent_recovery endpoint (UpdateAgentRecoveryACLToken).
        var endpoint = type == "recovery" ? "agent_recovery" : type;
        if (!await TryAsync(ctx, $"Failed to set ACL token {GoFlagSet.GoQuote(type)}", () => new AclApi(client).SetAgentTokenAsync(endpoint, token)))
            return 1;
        ctx.Out($"ACL token {GoFlagSet.GoQuote(type)} set successfully");
        return 0;
    }

    private static async Task<(string Type, string Token)> DataFromArgs(IReadOnlyList<string> args, CliContext ctx) =>
        args.Count switch
        {
            0 => throw new CliUsageException("Missing TYPE and TOKEN arguments"),
            1 => throw new CliUsageException(args[0] is "default" or "agent" or "recovery" or "replication"
                ? "Missing TOKEN argument"
                : "MISSING TYPE argument"),
            2 => (args[0], await AclDataSource.LoadAsync(args[1], ctx)),
            _ => throw new CliUsageException($"Too many arguments: expected 2 got {args.Count}"),
        };
}
