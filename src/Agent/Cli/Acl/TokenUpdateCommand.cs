namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl token update` (command/acl/token/update): reads the token, replaces or appends
/// links, identities and the description as the flags ask, and writes it back.
/// </summary>
internal sealed class TokenUpdateCommand : AclCommand
{
    private string _accessorId = "", _description = "", _tokenId = "";
    private readonly List<string> _policyIds = [], _appendPolicyIds = [], _policyNames = [], _appendPolicyNames = [];
    private readonly List<string> _roleIds = [], _appendRoleIds = [], _roleNames = [], _appendRoleNames = [];
    private readonly List<string> _serviceIdents = [], _appendServiceIdents = [], _nodeIdents = [], _appendNodeIdents = [];
    private bool _showMeta, _mergePolicies, _mergeRoles, _mergeServiceIdents, _mergeNodeIdents;

    public TokenUpdateCommand()
    {
        Flags.Bool("meta", "Indicates that token metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
        Flags.String("accessor-id", "The Accessor ID of the token to update. " +
                                    "It may be specified as a unique ID prefix but will error if the prefix " +
                                    "matches multiple token Accessor IDs", v => _accessorId = v);
        Flags.String("description", "A description of the token", v => _description = v);
        AddSliceFlag("policy-id", "ID of a policy to use for this token. Overwrites existing policies. May be specified multiple times", _policyIds);
        AddSliceFlag("append-policy-id", "ID of a policy to use for this token. The token retains existing policies. May be specified multiple times", _appendPolicyIds);
        AddSliceFlag("policy-name", "Name of a policy to use for this token. Overwrites existing policies. May be specified multiple times", _policyNames);
        AddSliceFlag("append-policy-name", "Name of a policy to add to this token. The token retains existing policies. May be specified multiple times", _appendPolicyNames);
        AddSliceFlag("role-id", "ID of a role to use for this token. Overwrites existing roles. May be specified multiple times", _roleIds);
        AddSliceFlag("role-name", "Name of a role to use for this token. Overwrites existing roles. May be specified multiple times", _roleNames);
        AddSliceFlag("append-role-id", "ID of a role to add to this token. The token retains existing roles. May be specified multiple times", _appendRoleIds);
        AddSliceFlag("append-role-name", "Name of a role to add to this token. The token retains existing roles. May be specified multiple times", _appendRoleNames);
        AddSliceFlag("service-identity", "Name of a service identity to use for this token. May be specified multiple times. " +
                                         "Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...", _serviceIdents);
        // "specified" + "multiple" run together in Consul's text too.
        AddSliceFlag("append-service-identity", "Name of a service identity to use for this token. This token retains existing " +
                                                "service identities. May be specifiedmultiple times. Format is the SERVICENAME or " +
                                                "SERVICENAME:DATACENTER1,DATACENTER2,...", _appendServiceIdents);
        AddSliceFlag("node-identity", "Name of a node identity to use for this token. May be specified multiple times. " +
                                      "Format is NODENAME:DATACENTER", _nodeIdents);
        AddSliceFlag("append-node-identity", "Name of a node identity to use for this token. This token retains existing node " +
                                             "identities. May be specified multiple times. Format is NODENAME:DATACENTER", _appendNodeIdents);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
        Flags.String("id", "DEPRECATED. Use -accessor-id instead.", v => _tokenId = v);
        Flags.Bool("merge-policies", "DEPRECATED. Use -append-policy-id or -append-policy-name instead.", v => _mergePolicies = v);
        Flags.Bool("merge-roles", "DEPRECATED. Use -append-role-id or -append-role-name instead.", v => _mergeRoles = v);
        Flags.Bool("merge-service-identities", "DEPRECATED. Use -append-service-identity instead.", v => _mergeServiceIdents = v);
        Flags.Bool("merge-node-identities", "DEPRECATED. Use -append-node-identity instead.", v => _mergeNodeIdents = v);
    }

    public override string Synopsis => "Update an ACL token";

    protected override string HelpText => """

        Usage: consul acl token update [options]

            This command will update a token. Some parts such as marking the token local
            cannot be changed.

            Update a token description and take the policies from the existing token:

                $ consul acl token update -accessor-id abcd -description "replication" -merge-policies

            Update all editable fields of the token:

                $ consul acl token update -accessor-id abcd \
                                          -description "replication" \
                                          -policy-name "token-replication" \
                                          -role-name "db-updater"
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        var accessor = _accessorId;
        if (accessor.Length == 0)
        {
            if (_tokenId.Length == 0)
            {
                ctx.Err("Cannot update a token without specifying the -accessor-id parameter");
                return 1;
            }
            accessor = _tokenId;
            Warn(ctx, "Use the -accessor-id parameter to specify token by Accessor ID");
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        string id;
        try
        {
            id = await AclLookup.TokenAccessorIdFromPartialAsync(api, accessor);
        }
        catch (Exception e) when (e is AclLookupException or CliApiException)
        {
            ctx.Err($"Error determining token ID: {e.Message}");
            return 1;
        }

        AclTokenDto token;
        try
        {
            token = await api.TokenReadAsync(id);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error when retrieving current token: {e.Message}");
            return 1;
        }

        // An empty -description keeps the current one (there is no way to clear it from here).
        if (_description.Length > 0) token.Description = _description;

        var appendServices = _appendServiceIdents.Count > 0;
        if (appendServices && _serviceIdents.Count > 0)
        {
            ctx.Err("Cannot combine the use of service-identity flag with append-service-identity. " +
                    "To set or overwrite existing service identities, use -service-identity. " +
                    "To append to existing service identities, use -append-service-identity.");
            return 1;
        }
        var appendNodes = _appendNodeIdents.Count > 0;
        List<AclServiceIdentityDto>? services;
        List<AclNodeIdentityDto>? nodes;
        try
        {
            services = AclLookup.ServiceIdentities(appendServices ? _appendServiceIdents : _serviceIdents);
            if (appendNodes && _nodeIdents.Count > 0)
            {
                ctx.Err("Cannot combine the use of node-identity flag with append-node-identity. " +
                        "To set or overwrite existing node identities, use -node-identity. " +
                        "To append to existing node identities, use -append-node-identity.");
                return 1;
            }
            nodes = AclLookup.NodeIdentities(appendNodes ? _appendNodeIdents : _nodeIdents);
        }
        catch (AclLookupException e)
        {
            ctx.Err(e.Message);
            return 1;
        }

        if (!await UpdatePoliciesAsync(ctx, api, token)) return 1;
        if (!await UpdateRolesAsync(ctx, api, token)) return 1;

        if (_mergeServiceIdents || appendServices)
        {
            foreach (var s in services ?? [])
            {
                var list = token.ServiceIdentities ??= [];
                var at = list.FindIndex(l => l.ServiceName == s.ServiceName);
                if (at >= 0) list[at] = s;
                else list.Add(s);
            }
        }
        else
        {
            token.ServiceIdentities = services;
        }

        if (_mergeNodeIdents || appendNodes)
        {
            foreach (var n in nodes ?? [])
            {
                var list = token.NodeIdentities ??= [];
                if (!list.Any(l => l.NodeName == n.NodeName && l.Datacenter == n.Datacenter)) list.Add(n);
            }
        }
        else
        {
            token.NodeIdentities = nodes;
        }

        AclTokenDto updated;
        try
        {
            updated = await api.TokenUpdateAsync(token);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Failed to update token {id}: {e.Message}");
            return 1;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, _showMeta).FormatToken(updated));
        return 0;
    }

    private async Task<bool> UpdatePoliciesAsync(CliContext ctx, AclApi api, AclTokenDto token)
    {
        if (_mergePolicies)
        {
            Warn(ctx, "merge-policies is deprecated and will be removed in a future Consul version. " +
                      "Use `append-policy-name` or `append-policy-id` instead.");
            foreach (var name in _policyNames)
            {
                if (token.Policies?.Any(l => l.Name == name) != true) (token.Policies ??= []).Add(new AclLink { Name = name });
            }
            foreach (var prefix in _policyIds)
            {
                if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.PolicyIdFromPartialAsync(api, prefix), "policy") is not { } pid) return false;
                if (token.Policies?.Any(l => l.ID == pid) != true) (token.Policies ??= []).Add(new AclLink { ID = pid });
            }
            return true;
        }

        var replace = _policyIds.Count > 0 || _policyNames.Count > 0;
        if (replace && (_appendPolicyNames.Count > 0 || _appendPolicyIds.Count > 0))
        {
            ctx.Err("Cannot combine the use of policy-id/policy-name flags with append- variants. " +
                    "To set or overwrite existing policies, use -policy-id or -policy-name. " +
                    "To append to existing policies, use -append-policy-id or -append-policy-name.");
            return false;
        }
        var ids = replace ? _policyIds : _appendPolicyIds;
        var names = replace ? _policyNames : _appendPolicyNames;
        if (replace) token.Policies = null;
        foreach (var name in names) (token.Policies ??= []).Add(new AclLink { Name = name });
        foreach (var prefix in ids)
        {
            if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.PolicyIdFromPartialAsync(api, prefix), "policy") is not { } pid) return false;
            (token.Policies ??= []).Add(new AclLink { ID = pid });
        }
        return true;
    }

    private async Task<bool> UpdateRolesAsync(CliContext ctx, AclApi api, AclTokenDto token)
    {
        if (_mergeRoles)
        {
            Warn(ctx, "merge-roles is deprecated and will be removed in a future Consul version. " +
                      "Use `append-role-name` or `append-role-id` instead.");
            foreach (var name in _roleNames)
            {
                if (token.Roles?.Any(l => l.Name == name) != true) (token.Roles ??= []).Add(new AclLink { Name = name });
            }
            foreach (var prefix in _roleIds)
            {
                if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.RoleIdFromPartialAsync(api, prefix), "role") is not { } rid) return false;
                // Consul puts the resolved ID in the link's Name here, which the agent then fails to
                // find by name; the link is sent by ID so the merge does what the flag says.
                if (token.Roles?.Any(l => l.ID == rid) != true) (token.Roles ??= []).Add(new AclLink { ID = rid });
            }
            return true;
        }

        var replace = _roleIds.Count > 0 || _roleNames.Count > 0;
        if (replace && (_appendRoleNames.Count > 0 || _appendRoleIds.Count > 0))
        {
            ctx.Err("Cannot combine the use of role-id/role-name flags with append- variants. " +
                    "To set or overwrite existing roles, use -role-id or -role-name. " +
                    "To append to existing roles, use -append-role-id or -append-role-name.");
            return false;
        }
        var ids = replace ? _roleIds : _appendRoleIds;
        var names = replace ? _roleNames : _appendRoleNames;
        if (replace) token.Roles = null;
        foreach (var name in names) (token.Roles ??= []).Add(new AclLink { Name = name });
        foreach (var prefix in ids)
        {
            if (await TokenLinks.ResolveAsync(ctx, () => AclLookup.RoleIdFromPartialAsync(api, prefix), "role") is not { } rid) return false;
            (token.Roles ??= []).Add(new AclLink { ID = rid });
        }
        return true;
    }
}
