namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role delete` (command/acl/role/delete).</summary>
internal sealed class RoleDeleteCommand : AclCommand
{
    private string _id = "", _name = "";

    public RoleDeleteCommand()
    {
        Flags.String("id", "The ID of the role to delete. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple role IDs", v => _id = v);
        Flags.String("name", "The name of the role to delete.", v => _name = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Delete an ACL role";

    protected override string HelpText => """

        Usage: consul acl role delete [options] -id ROLE

            Deletes an ACL role by providing the ID or a unique ID prefix.

            Delete by prefix:

                $ consul acl role delete -id b6b85

            Delete by full ID:

                $ consul acl role delete -id b6b856da-5193-4e78-845a-7d61ca8371ba

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (_id.Length == 0 && _name.Length == 0)
        {
            ctx.Err("Must specify the -id or -name parameters");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        string roleId;
        try
        {
            roleId = _id.Length > 0
                ? await AclLookup.RoleIdFromPartialAsync(api, _id)
                : await AclLookup.RoleIdByNameAsync(api, _name);
        }
        catch (Exception e) when (e is AclLookupException or CliApiException)
        {
            ctx.Err($"Error determining role ID: {e.Message}");
            return 1;
        }
        try
        {
            await api.RoleDeleteAsync(roleId);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error deleting role {GoFlagSet.GoQuote(roleId)}: {e.Message}");
            return 1;
        }
        ctx.Out($"Role {GoFlagSet.GoQuote(roleId)} deleted successfully");
        return 0;
    }
}
