namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token read` (command/acl/token/read).</summary>
internal sealed class TokenReadCommand : TokenAccessorCommand
{
    private bool _self, _expanded;

    public TokenReadCommand()
    {
        AddMetaFlag("token", "Raft");
        Flags.Bool("self", "Indicates that the current HTTP token " +
                           "should be read by secret ID instead of expecting a -accessor-id option", v => _self = v);
        Flags.Bool("expanded", "Indicates that the contents of the " +
                               " policies and roles affecting the token should also be shown.", v => _expanded = v);
        AddAccessorIdFlag("The Accessor ID of the token to read. " +
                          "It may be specified as a unique ID prefix but will error if the prefix " +
                          "matches multiple token Accessor IDs");
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        AddDeprecatedIdFlag();
    }

    public override string Synopsis => "Read an ACL token";

    protected override string HelpText => """

        Usage: consul acl token read [options] -accessor-id TOKENID

          This command will retrieve and print out the details of
          a single token.

          Using a partial ID:

                  $ consul acl token read -accessor-id 4be56c77-82

          Using the full ID:

                  $ consul acl token read -accessor-id 4be56c77-8244-4c7d-b08c-667b8c71baed
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        AclTokenDto? token = null;
        AclTokenExpandedDto? expanded = null;
        if (!_self)
        {
            if (AccessorArgument(ctx, "Must specify the -accessor-id parameter",
                    "Use the -accessor-id parameter to specify token by Accessor ID") is not { } accessor) return 1;
            if (await ResolveAccessorAsync(ctx, api, accessor, "Error determining token ID") is not (true, var id)) return 1;
            var failure = $"Error reading token {GoFlagSet.GoQuote(id)}";
            if (_expanded)
            {
                if (await TryAsync(ctx, failure, () => api.TokenReadExpandedAsync(id)) is not (true, var found)) return 1;
                expanded = found;
            }
            else
            {
                if (await TryAsync(ctx, failure, () => api.TokenReadAsync(id)) is not (true, var found)) return 1;
                token = found;
            }
        }
        else
        {
            if (_expanded)
            {
                ctx.Err("Cannot use both -expanded and -self. Instead, use -expanded and -accessor-id=<accessor id>.");
                return 1;
            }
            if (await TryAsync(ctx, "Error reading token", api.TokenReadSelfAsync) is not (true, var self)) return 1;
            token = self;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        var formatter = new TokenFormatter(format, ShowMeta);
        Print(ctx, expanded is not null ? formatter.FormatTokenExpanded(expanded) : formatter.FormatToken(token!));
        return 0;
    }
}
