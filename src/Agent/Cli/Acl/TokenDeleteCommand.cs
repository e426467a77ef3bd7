namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token delete` (command/acl/token/delete).</summary>
internal sealed class TokenDeleteCommand : TokenAccessorCommand
{
    public TokenDeleteCommand()
    {
        AddAccessorIdFlag("The Accessor ID of the token to delete. " +
                          "It may be specified as a unique ID prefix but will error if the prefix " +
                          "matches multiple token Accessor IDs");
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        AddDeprecatedIdFlag();
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
        if (AccessorArgument(ctx, "Must specify the -accessor-id parameter",
                "Use the -accessor-id parameter to specify token by Accessor ID.") is not { } accessor) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        if (await ResolveAccessorAsync(ctx, api, accessor, "Error determining token ID") is not (true, var id)) return 1;
        if (!await TryAsync(ctx, $"Error deleting token {GoFlagSet.GoQuote(id)}", () => api.TokenDeleteAsync(id))) return 1;
        ctx.Out($"Token {GoFlagSet.GoQuote(id)} deleted successfully");
        return 0;
    }
}
