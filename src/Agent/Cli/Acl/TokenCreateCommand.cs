using Consul.Core.Util;

namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl token create` (command/acl/token/create).</summary>
internal sealed class TokenCreateCommand : AclCommand
{
    private string _accessor = "", _secret = "", _description = "";
    private readonly List<string> _policyIds = [], _policyNames = [], _roleIds = [], _roleNames = [];
    private readonly List<string> _serviceIdents = [], _nodeIdents = [];
    private TimeSpan _expirationTtl;
    private bool _local;

    public TokenCreateCommand()
    {
        Flags.String("accessor", "Create the token with this Accessor ID. " +
                                 "It must be a UUID. If not specified one will be auto-generated", v => _accessor = v);
        Flags.String("secret", "Create the token with this Secret ID. " +
                               "It must be a UUID. If not specified one will be auto-generated", v => _secret = v);
        AddMetaFlag("token");
        Flags.Bool("local", "Create this as a datacenter local token", v => _local = v);
        Flags.String("description", "A description of the token", v => _description = v);
        AddSliceFlag("policy-id", "ID of a policy to use for this token. May be specified multiple times", _policyIds);
        AddSliceFlag("policy-name", "Name of a policy to use for this token. May be specified multiple times", _policyNames);
        AddSliceFlag("role-id", "ID of a role to use for this token. May be specified multiple times", _roleIds);
        AddSliceFlag("role-name", "Name of a role to use for this token. May be specified multiple times", _roleNames);
        AddSliceFlag("service-identity", "Name of a service identity to use for this token. May be specified multiple times. " +
                                         "Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...", _serviceIdents);
        AddSliceFlag("node-identity", "Name of a node identity to use for this token. May be specified multiple times. " +
                                      "Format is NODENAME:DATACENTER", _nodeIdents);
        // flag.DurationVar: time.ParseDuration, Go's "parse error" on bad input.
        Flags.Value("expires-ttl", "Duration of time this token should be valid for",
            v => GoDuration.TryParse(v, out _expirationTtl) ? null : "parse error");
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Create an ACL token";

    protected override string HelpText => """

        Usage: consul acl token create [options]

          When creating a new token policies may be linked using either the -policy-id
          or the -policy-name options. When specifying policies by IDs you may use a
          unique prefix of the UUID as a shortcut for specifying the entire UUID.

          Create a new token:

                  $ consul acl token create -description "Replication token" \
                                            -policy-id b52fc3de-5 \
                                            -policy-name "acl-replication" \
                                            -role-id c630d4ef-6 \
                                            -role-name "db-updater" \
                                            -service-identity "web" \
                                            -service-identity "db:east,west"
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (_policyNames.Count == 0 && _policyIds.Count == 0 && _roleNames.Count == 0 && _roleIds.Count == 0 &&
            _serviceIdents.Count == 0 && _nodeIdents.Count == 0)
        {
            ctx.Err("Cannot create a token without specifying -policy-name, -policy-id, -role-name, -role-id, " +
                    "-service-identity, or -node-identity at least once");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        var token = new AclTokenDto
        {
            Description = _description,
            Local = _local,
            AccessorID = _accessor,
            SecretID = _secret,
        };
        if (_expirationTtl > TimeSpan.Zero) token.ExpirationTTL = _expirationTtl.Ticks * 100;
        if (!TryParseIdentities(ctx, _serviceIdents, _nodeIdents, out var services, out var nodes)) return 1;
        token.ServiceIdentities = services;
        token.NodeIdentities = nodes;

        if (await AddLinksAsync(ctx, api, AclNamedKind.Policy, null, _policyNames, _policyIds) is not (true, var policies)) return 1;
        token.Policies = policies;
        if (await AddLinksAsync(ctx, api, AclNamedKind.Role, null, _roleNames, _roleIds) is not (true, var roles)) return 1;
        token.Roles = roles;

        if (await TryAsync(ctx, "Failed to create new token", () => api.TokenCreateAsync(token)) is not (true, var created)) return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new TokenFormatter(format, ShowMeta).FormatToken(created));
        return 0;
    }
}
