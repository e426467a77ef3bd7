namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token delete` (command/acl/token/delete).</summary>
internal sealed class TokenDeleteCommand : AclCommand
{
    private string _accessorId = "", _tokenId = "";

    public TokenDeleteCommand()
    {
        Flags.String("accessor-id", "The Accessor ID of the token to delete. " +
                                    "It may be specified as a unique ID prefix but will error if the prefix " +
                                    "matches multiple token Accessor IDs", v => _accessorId = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        Flags.String("id", "DEPRECATED. Use -accessor-id instead.", v => _tokenId = v);
    }

    public override string Synopsis => "Delete an ACL token";

    protected override string HelpText => """

        Usage: consul acl token delete [options] -accessor-id TOKEN

          Deletes an ACL token by providing either the ID or a unique ID prefix.

              Delete by prefix:

                  $ consul acl token delete -accessor-id b6b85

              Delete by full ID:

                  $ consul acl token delete -accessor-id b6b856da-5193-4e78-845a-7d61ca8371ba
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        var accessor = _accessorId;
        if (accessor.Length == 0)
        {
            if (_tokenId.Length == 0)
            {
                ctx.Err("Must specify the -accessor-id parameter");
                return 1;
            }
            accessor = _tokenId;
            Warn(ctx, "Use the -accessor-id parameter to specify token by Accessor ID.");
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
            ctx.Err($"Error determining token ID: {e.Message}");
            return 1;
        }
        try
        {
            await api.TokenDeleteAsync(id);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error deleting token {GoFlagSet.GoQuote(id)}: {e.Message}");
            return 1;
        }
        ctx.Out($"Token {GoFlagSet.GoQuote(id)} deleted successfully");
        return 0;
    }
}
