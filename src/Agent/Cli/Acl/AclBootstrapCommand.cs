namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl bootstrap [options] [SECRET-FILE|-]` (command/acl/bootstrap).</summary>
internal sealed class AclBootstrapCommand : AclCommand
{
    public AclBootstrapCommand()
    {
        AddFormatFlag();
        AddHttpFlags(serverFlags: true);
        SealHelp();
    }

    public override string Synopsis => "Bootstrap Consul's ACL system";

    protected override string HelpText => """

        Usage: consul acl bootstrap [options]

          The bootstrap command will request Consul to generate a new token with unlimited privileges to use
          for management purposes and output its details. This can only be done once and afterwards bootstrapping
          will be disabled. If all tokens are lost and you need to bootstrap again you can follow the bootstrap
          reset procedure
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count > 1)
        {
            ctx.Err("This command takes up to one argument");
            return 1;
        }

        var secret = "";
        if (rest.Count == 1)
        {
            if (await TryAsync(ctx, "Error reading provided token", () => AclDataSource.LoadNoRawAsync(rest[0], ctx)) is not (true, var loaded))
                return 1;
            secret = loaded;
        }

        if (CreateClient(ctx) is not { } client) return 1;
        // A secret passed on stdin usually ends in a newline.
        if (await TryAsync(ctx, "Failed ACL bootstrapping", () => new AclApi(client).BootstrapAsync(secret.Trim())) is not (true, var token))
            return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, showMeta: false).FormatToken(token));
        return 0;
    }
}
