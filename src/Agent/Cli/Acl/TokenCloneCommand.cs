namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token clone` (command/acl/token/clone).</summary>
internal sealed class TokenCloneCommand : AclCommand
{
    private string _accessorId = "", _description = "", _tokenId = "";

    public TokenCloneCommand()
    {
        Flags.String("accessor-id", "The Accessor ID of the token to clone. " +
                                    "It may be specified as a unique ID prefix but will error if the prefix " +
                                    "matches multiple token Accessor IDs. The special value of 'anonymous' may " +
                                    "be provided instead of the anonymous tokens accessor ID", v => _accessorId = v);
        Flags.String("description", "A description of the new cloned token", v => _description = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        Flags.String("id", "DEPRECATED. Use -accessor-id instead.", v => _tokenId = v);
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
        var accessor = _accessorId;
        if (accessor.Length == 0)
        {
            if (_tokenId.Length == 0)
            {
                ctx.Err("Cannot update a token without specifying the -accessor-id parameter");
                return 1;
            }
            accessor = _tokenId;
            Warn(ctx, "The -id parameter is deprecated. Use the -accessor-id parameter instead.");
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        string id;
        try
        {
            id = await AclLookup.TokenAccessorIdFromPartialAsync(api, accessor);
        }
        catch (Exception e) when (e is AclLookupException or CliApiException)
        {
            ctx.Err($"Error determining token Accessor ID: {e.Message}");
            return 1;
        }

        AclTokenDto clone;
        try
        {
            clone = await api.TokenCloneAsync(id, _description);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error cloning token: {e.Message}");
            return 1;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, showMeta: false).FormatToken(clone));
        return 0;
    }
}
