namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl role update` (command/acl/role/update): merges names, policies and identities
/// into the current role, or with -no-merge replaces them all.
/// </summary>
internal sealed class RoleUpdateCommand : RoleCommand
{
    private string _id = "", _name = "", _description = "";
    private readonly List<string> _policyIds = [], _policyNames = [], _serviceIdents = [], _nodeIdents = [];
    private bool _noMerge, _showMeta;

    public RoleUpdateCommand()
    {
        Flags.Bool("meta", "Indicates that role metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
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

        List<AclServiceIdentityDto>? services;
        List<AclNodeIdentityDto>? nodes;
        try
        {
            services = AclLookup.ServiceIdentities(_serviceIdents);
            nodes = AclLookup.NodeIdentities(_nodeIdents);
        }
        catch (AclLookupException e)
        {
            ctx.Err(e.Message);
            return 1;
        }

        // The current role is read in both modes so a missing one fails clearly.
        AclRoleDto? current;
        try
        {
            current = await api.RoleReadAsync(roleId);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error when retrieving current role: {e.Message}");
            return 1;
        }
        if (current is null)
        {
            ctx.Err($"Role not found with ID {GoFlagSet.GoQuote(roleId)}");
            return 1;
        }

        AclRoleDto role;
        if (_noMerge)
        {
            // Consul sends the -id value as typed here; the resolved ID is used so a prefix works.
            role = new AclRoleDto { ID = roleId, Name = _name, Description = _description, ServiceIdentities = services, NodeIdentities = nodes };
            foreach (var name in _policyNames) (role.Policies ??= []).Add(new AclLink { Name = name });
            foreach (var prefix in _policyIds)
            {
                if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.PolicyIdFromPartialAsync(api, prefix), "policy") is not { } pid) return 1;
                (role.Policies ??= []).Add(new AclLink { ID = pid });
            }
        }
        else
        {
            role = current;
            if (_name.Length > 0) role.Name = _name;
            if (_description.Length > 0) role.Description = _description;
            foreach (var name in _policyNames)
            {
                if (role.Policies?.Any(l => l.Name == name) != true) (role.Policies ??= []).Add(new AclLink { Name = name });
            }
            foreach (var prefix in _policyIds)
            {
                if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.PolicyIdFromPartialAsync(api, prefix), "policy") is not { } pid) return 1;
                if (role.Policies?.Any(l => l.ID == pid) != true) (role.Policies ??= []).Add(new AclLink { ID = pid });
            }
            foreach (var s in services ?? [])
            {
                var list = role.ServiceIdentities ??= [];
                var at = list.FindIndex(l => l.ServiceName == s.ServiceName);
                if (at >= 0) list[at] = s;
                else list.Add(s);
            }
            foreach (var n in nodes ?? [])
            {
                var list = role.NodeIdentities ??= [];
                if (!list.Any(l => l.NodeName == n.NodeName && l.Datacenter == n.Datacenter)) list.Add(n);
            }
        }

        AclRoleDto updated;
        try
        {
            updated = await api.RoleUpdateAsync(role);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error updating role {GoFlagSet.GoQuote(roleId)}: {e.Message}");
            return 1;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, _showMeta).FormatRole(updated));
        return 0;
    }
}
