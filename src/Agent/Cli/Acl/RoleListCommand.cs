namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role list` (command/acl/role/list).</summary>
internal sealed class RoleListCommand : AclCommand
{
    private bool _showMeta;

    public RoleListCommand()
    {
        // "policy metadata" is Consul's wording for this role flag.
        Flags.Bool("meta", "Indicates that policy metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
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
        List<AclRoleDto>? roles;
        try
        {
            roles = await new AclApi(client).RoleListAsync();
        }
        catch (CliApiException e)
        {
            ctx.Err($"Failed to retrieve the role list: {e.Message}");
            return 1;
        }
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, _showMeta).FormatRoleList(roles));
        return 0;
    }
}
