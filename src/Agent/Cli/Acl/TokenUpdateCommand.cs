namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl token update` (command/acl/token/update): reads the token, replaces or appends
/// links, identities and the description as the flags ask, and writes it back.
/// </summary>
internal sealed class TokenUpdateCommand : TokenAccessorCommand
{
    private string _description = "";
    private readonly List<string> _policyIds = [], _appendPolicyIds = [], _policyNames = [], _appendPolicyNames = [];
    private readonly List<string> _roleIds = [], _appendRoleIds = [], _roleNames = [], _appendRoleNames = [];
    private readonly List<string> _serviceIdents = [], _appendServiceIdents = [], _nodeIdents = [], _appendNodeIdents = [];
    private bool _mergePolicies, _mergeRoles, _mergeServiceIdents, _mergeNodeIdents;

    public TokenUpdateCommand()
    {
        AddMetaFlag("token");
        AddAccessorIdFlag("The Accessor ID of the token to update. " +
                          "It may be specified as a unique ID prefix but will error if the prefix " +
                          "matches multiple token Accessor IDs");
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
        AddDeprecatedIdFlag();
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
        if (AccessorArgument(ctx, "Cannot update a token without specifying the -accessor-id parameter",
                "Use the -accessor-id parameter to specify token by Accessor ID") is not { } accessor) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        if (await ResolveAccessorAsync(ctx, api, accessor, "Error determining token ID") is not (true, var id)) return 1;
        if (await TryAsync(ctx, "Error when retrieving current token", () => api.TokenReadAsync(id)) is not (true, var token)) return 1;

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
        if (!TryParse(ctx, () => AclLookup.ServiceIdentities(appendServices ? _appendServiceIdents : _serviceIdents), out var services))
            return 1;
        var appendNodes = _appendNodeIdents.Count > 0;
        if (appendNodes && _nodeIdents.Count > 0)
        {
            ctx.Err("Cannot combine the use of node-identity flag with append-node-identity. " +
                    "To set or overwrite existing node identities, use -node-identity. " +
                    "To append to existing node identities, use -append-node-identity.");
            return 1;
        }
        if (!TryParse(ctx, () => AclLookup.NodeIdentities(appendNodes ? _appendNodeIdents : _nodeIdents), out var nodes)) return 1;

        var policyFlags = new LinkFlags(AclNamedKind.Policy, _policyIds, _policyNames, _appendPolicyIds, _appendPolicyNames, _mergePolicies);
        if (await UpdateLinksAsync(ctx, api, policyFlags, token.Policies) is not (true, var policies)) return 1;
        token.Policies = policies;
        var roleFlags = new LinkFlags(AclNamedKind.Role, _roleIds, _roleNames, _appendRoleIds, _appendRoleNames, _mergeRoles);
        if (await UpdateLinksAsync(ctx, api, roleFlags, token.Roles) is not (true, var roles)) return 1;
        token.Roles = roles;

        token.ServiceIdentities = _mergeServiceIdents || appendServices
            ? AclLookup.MergeServiceIdentities(token.ServiceIdentities, services)
            : services;
        token.NodeIdentities = _mergeNodeIdents || appendNodes
            ? AclLookup.MergeNodeIdentities(token.NodeIdentities, nodes)
            : nodes;

        if (await TryAsync(ctx, $"Failed to update token {id}", () => api.TokenUpdateAsync(token)) is not (true, var updated)) return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, ShowMeta).FormatToken(updated));
        return 0;
    }

    /// <summary>The -policy-* or -role-* flags: replace the links, append to them, or (deprecated -merge-*) merge into them.</summary>
    private sealed record LinkFlags(AclNamedKind Kind, List<string> Ids, List<string> Names,
        List<string> AppendIds, List<string> AppendNames, bool Merge);

    // The policy and role links are updated alike; Consul's messages differ only by the nouns.
    private static async Task<(bool Ok, List<AclLink>? Links)> UpdateLinksAsync(CliContext ctx, AclApi api, LinkFlags f, List<AclLink>? current)
    {
        var (noun, plural) = (f.Kind.Noun, f.Kind.Plural);
        if (f.Merge)
        {
            Warn(ctx, $"merge-{plural} is deprecated and will be removed in a future Consul version. " +
                      $"Use `append-{noun}-name` or `append-{noun}-id` instead.");
            // For roles Consul puts the resolved ID in the link's Name here, which the agent then fails
            // to find by name; the link is sent by ID so the merge does what the flag says.
            return await AddLinksAsync(ctx, api, f.Kind, current, f.Names, f.Ids, skipLinked: true);
        }

        var replace = f.Ids.Count > 0 || f.Names.Count > 0;
        if (replace && (f.AppendNames.Count > 0 || f.AppendIds.Count > 0))
        {
            ctx.Err($"Cannot combine the use of {noun}-id/{noun}-name flags with append- variants. " +
                    $"To set or overwrite existing {plural}, use -{noun}-id or -{noun}-name. " +
                    $"To append to existing {plural}, use -append-{noun}-id or -append-{noun}-name.");
            return (false, current);
        }
        return replace
            ? await AddLinksAsync(ctx, api, f.Kind, null, f.Names, f.Ids)
            : await AddLinksAsync(ctx, api, f.Kind, current, f.AppendNames, f.AppendIds);
    }
}
