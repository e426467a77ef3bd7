namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token list` (command/acl/token/list).</summary>
internal sealed class TokenListCommand : AclCommand
{
    private bool _showMeta;

    public TokenListCommand()
    {
        Flags.Bool("meta", "Indicates that token metadata such " +
                           "as the content hash and Raft indices should be shown for each entry", v => _showMeta = v);
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
        List<AclTokenListEntryDto>? tokens;
        try
        {
            tokens = await new AclApi(client).TokenListAsync();
        }
        catch (CliApiException e)
        {
            ctx.Err($"Failed to retrieve the token list: {e.Message}");
            return 1;
        }
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, _showMeta).FormatTokenList(tokens));
        return 0;
    }
}
