namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token list` (command/acl/token/list).</summary>
internal sealed class TokenListCommand : AclCommand
{

    public TokenListCommand()
    {
        AddMetaFlag("token", "Raft");
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "List ACL tokens";

    protected override string HelpText => """

        Usage: consul acl token list [options]

          List all the ACL tokens

                  $ consul acl token list
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        if (await TryAsync(ctx, "Failed to retrieve the token list", () => new AclApi(client).TokenListAsync()) is not (true, var tokens)) return 1;
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, ShowMeta).FormatTokenList(tokens));
        return 0;
    }
}
