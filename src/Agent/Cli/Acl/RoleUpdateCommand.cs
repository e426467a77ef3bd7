namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl role update` (command/acl/role/update): merges names, policies and identities
/// into the current role, or with -no-merge replaces them all.
/// </summary>
internal sealed class RoleUpdateCommand : RoleCommand
{
    private string _id = "", _name = "", _description = "";
    private readonly List<string> _policyIds = [], _policyNames = [], _serviceIdents = [], _nodeIdents = [];
    private bool _noMerge;

    public RoleUpdateCommand()
    {
        AddMetaFlag("role");
        Flags.String("id", "The ID of the role to update. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple role IDs", v => _id = v);
        Flags.String("name", "The role name.", v => _name = v);
        Flags.String("description", "A description of the role", v => _description = v);
        AddLinkFlags(_policyIds, _policyNames, _serviceIdents, _nodeIdents);
        Flags.Bool("no-merge", "Do not merge the current role " +
                               "information with what is provided to the command. Instead overwrite all fields " +
                               "with the exception of the role ID which is immutable.", v => _noMerge = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Update an ACL role";

    protected override string HelpText => """

        Usage: consul acl role update [options]

          Updates a role. By default it will merge the role information with its
          current state so that you do not have to provide all parameters. This
          behavior can be disabled by passing -no-merge.

          Rename the role:

                  $ consul acl role update -id abcd -name "better-name"

          Update all editable fields of the role:

                  $ consul acl role update -id abcd \
                                           -name "better-name" \
                                           -description "replication" \
                                           -policy-name "token-replication" \
                                           -service-identity "web"
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (_id.Length == 0)
        {
            ctx.Err("Cannot update a role without specifying the -id parameter");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        var kind = AclNamedKind.Role;
        if (await TryAsync(ctx, kind.DetermineIdFailure, () => kind.IdFromPartialAsync(api, _id)) is not (true, var roleId)) return 1;
        if (!TryParseIdentities(ctx, _serviceIdents, _nodeIdents, out var services, out var nodes)) return 1;

        // The current role is read in both modes so a missing one fails clearly.
        if (await TryAsync(ctx, "Error when retrieving current role", () => api.RoleReadAsync(roleId)) is not (true, var current)) return 1;
        if (current is null)
        {
            ctx.Err(RoleReadCommand.NotFoundById(roleId));
            return 1;
        }

        AclRoleDto role;
        if (_noMerge)
        {
            // Consul sends the -id value as typed here; the resolved ID is used so a prefix works.
            role = new AclRoleDto { ID = roleId, Name = _name, Description = _description, ServiceIdentities = services, NodeIdentities = nodes };
        }
        else
        {
            role = current;
            if (_name.Length > 0) role.Name = _name;
            if (_description.Length > 0) role.Description = _description;
            role.ServiceIdentities = AclLookup.MergeServiceIdentities(role.ServiceIdentities, services);
            role.NodeIdentities = AclLookup.MergeNodeIdentities(role.NodeIdentities, nodes);
        }
        if (await AddLinksAsync(ctx, api, AclNamedKind.Policy, role.Policies, _policyNames, _policyIds,
                skipLinked: !_noMerge) is not (true, var policies)) return 1;
        role.Policies = policies;

        if (await TryAsync(ctx, $"Error updating role {GoFlagSet.GoQuote(roleId)}", () => api.RoleUpdateAsync(role)) is not (true, var updated))
            return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, ShowMeta).FormatRole(updated));
        return 0;
    }
}
