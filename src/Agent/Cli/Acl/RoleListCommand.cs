namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role list` (command/acl/role/list).</summary>
internal sealed class RoleListCommand : AclCommand
{

    public RoleListCommand()
    {
        // "policy metadata" is Consul's wording for this role flag.
        AddMetaFlag("policy");
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Lists ACL roles";

    protected override string HelpText => """

        Usage: consul acl role list [options]

            Lists all the ACL roles.

            Example:

                $ consul acl role list
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        if (await TryAsync(ctx, "Failed to retrieve the role list", () => new AclApi(client).RoleListAsync()) is not (true, var roles)) return 1;
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, ShowMeta).FormatRoleList(roles));
        return 0;
    }
}
