namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role read` (command/acl/role/read).</summary>
internal sealed class RoleReadCommand : AclCommand
{
    private string _id = "", _name = "";
    private bool _showMeta;

    public RoleReadCommand()
    {
        Flags.Bool("meta", "Indicates that role metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
        // "policy IDs" is Consul's wording for this role flag.
        Flags.String("id", "The ID of the role to read. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple policy IDs", v => _id = v);
        Flags.String("name", "The name of the role to read.", v => _name = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Read an ACL role";

    protected override string HelpText => """

        Usage: consul acl role read [options] ROLE

            This command will retrieve and print out the details
            of a single role.

            Read:

                $ consul acl role read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

            Read by name:

                $ consul acl role read -name my-policy

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (_id.Length == 0 && _name.Length == 0)
        {
            ctx.Err("Must specify either the -id or -name parameters");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        AclRoleDto? role;
        if (_id.Length > 0)
        {
            string roleId;
            try
            {
                roleId = await AclLookup.RoleIdFromPartialAsync(api, _id);
            }
            catch (Exception e) when (e is AclLookupException or CliApiException)
            {
                ctx.Err($"Error determining role ID: {e.Message}");
                return 1;
            }
            try
            {
                role = await api.RoleReadAsync(roleId);
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error reading role {GoFlagSet.GoQuote(roleId)}: {e.Message}");
                return 1;
            }
            if (role is null)
            {
                ctx.Err($"Role not found with ID {GoFlagSet.GoQuote(roleId)}");
                return 1;
            }
        }
        else
        {
            try
            {
                role = await api.RoleReadByNameAsync(_name);
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error reading role {GoFlagSet.GoQuote(_name)}: {e.Message}");
                return 1;
            }
            if (role is null)
            {
                ctx.Err($"Role not found with name {GoFlagSet.GoQuote(_name)}");
                return 1;
            }
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, _showMeta).FormatRole(role));
        return 0;
    }
}
