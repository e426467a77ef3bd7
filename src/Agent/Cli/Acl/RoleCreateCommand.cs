namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role create` (command/acl/role/create).</summary>
internal sealed class RoleCreateCommand : RoleCommand
{
    private string _name = "", _description = "";
    private readonly List<string> _policyIds = [], _policyNames = [], _serviceIdents = [], _nodeIdents = [];

    public RoleCreateCommand()
    {
        AddMetaFlag("role");
        Flags.String("name", "The new role's name. This flag is required.", v => _name = v);
        Flags.String("description", "A description of the role", v => _description = v);
        AddLinkFlags(_policyIds, _policyNames, _serviceIdents, _nodeIdents);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Create an ACL role";

    protected override string HelpText => """

        Usage: consul acl role create -name NAME [options]

            Create a new role:

                $ consul acl role create -name "new-role" \
                                         -description "This is an example role" \
                                         -policy-id b52fc3de-5 \
                                         -policy-name "acl-replication" \
                                         -service-identity "web" \
                                         -service-identity "db:east,west"
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (!NameGiven(ctx, _name)) return 1;
        if (_policyNames.Count == 0 && _policyIds.Count == 0 && _serviceIdents.Count == 0 && _nodeIdents.Count == 0)
        {
            ctx.Err("Cannot create a role without specifying -policy-name, -policy-id, -service-identity, or -node-identity at least once");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        var role = new AclRoleDto { Name = _name, Description = _description };
        if (await AddLinksAsync(ctx, api, AclNamedKind.Policy, null, _policyNames, _policyIds) is not (true, var policies)) return 1;
        role.Policies = policies;
        if (!TryParseIdentities(ctx, _serviceIdents, _nodeIdents, out var services, out var nodes)) return 1;
        role.ServiceIdentities = services;
        role.NodeIdentities = nodes;

        if (await TryAsync(ctx, "Failed to create new role", () => api.RoleCreateAsync(role)) is not (true, var created)) return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new RoleFormatter(format, ShowMeta).FormatRole(created));
        return 0;
    }
}
