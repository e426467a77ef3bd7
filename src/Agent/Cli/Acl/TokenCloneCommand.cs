namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token clone` (command/acl/token/clone).</summary>
internal sealed class TokenCloneCommand : TokenAccessorCommand
{
    private string _description = "";

    public TokenCloneCommand()
    {
        AddAccessorIdFlag("The Accessor ID of the token to clone. " +
                          "It may be specified as a unique ID prefix but will error if the prefix " +
                          "matches multiple token Accessor IDs. The special value of 'anonymous' may " +
                          "be provided instead of the anonymous tokens accessor ID");
        Flags.String("description", "A description of the new cloned token", v => _description = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        AddDeprecatedIdFlag();
    }

    public override string Synopsis => "Clone an ACL token";

    protected override string HelpText => """

        Usage: consul acl token clone [options]

            This command will clone a token. When cloning an alternate description may be given
            for use with the new token.

            Example:

                $ consul acl token clone -accessor-id abcd -description "replication"
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (AccessorArgument(ctx, "Cannot update a token without specifying the -accessor-id parameter",
                "The -id parameter is deprecated. Use the -accessor-id parameter instead.") is not { } accessor) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        if (await ResolveAccessorAsync(ctx, api, accessor, "Error determining token Accessor ID") is not (true, var id)) return 1;
        if (await TryAsync(ctx, "Error cloning token", () => api.TokenCloneAsync(id, _description)) is not (true, var clone)) return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, showMeta: false).FormatToken(clone));
        return 0;
    }
}
