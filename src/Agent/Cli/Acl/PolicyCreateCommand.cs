namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy create` (command/acl/policy/create).</summary>
internal sealed class PolicyCreateCommand : AclCommand
{
    private string _name = "", _description = "", _rules = "";
    private readonly List<string> _datacenters = [];

    public PolicyCreateCommand()
    {
        AddMetaFlag("policy");
        Flags.String("name", "The new policy's name. This flag is required.", v => _name = v);
        Flags.String("description", "A description of the policy", v => _description = v);
        AddSliceFlag("valid-datacenter", "Datacenter that the policy should be valid within. This flag may be specified multiple times", _datacenters);
        Flags.String("rules", PolicyFlags.RulesUsage, v => _rules = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Create an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy create -name NAME [options]

            The -rules option values allows loading the value from stdin, a file 
            or the raw value. To use stdin pass '-' as the value. To load the value 
            from a file prefix the value with an '@'. Any other values will be used 
            directly.

            Create a new policy:

                $ consul acl policy create -name "new-policy" \
                                           -description "This is an example policy" \
                                           -datacenter "dc1" \
                                           -datacenter "dc2" \
                                           -rules @rules.hcl
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (!NameGiven(ctx, _name)) return 1;
        if (CreateClient(ctx) is not { } client) return 1;

        if (await TryAsync(ctx, "Error loading rules", () => AclDataSource.LoadAsync(_rules, ctx)) is not (true, var rules)) return 1;

        var policy = new AclPolicyDto
        {
            Name = _name,
            Description = _description,
            Datacenters = _datacenters.Count > 0 ? _datacenters : null,
            Rules = rules,
        };
        if (await TryAsync(ctx, "Failed to create new policy", () => new AclApi(client).PolicyCreateAsync(policy)) is not (true, var created)) return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new PolicyFormatter(format, ShowMeta).FormatPolicy(created));
        return 0;
    }
}

internal static class PolicyFlags
{
    public const string RulesUsage = "The policy rules. May be prefixed with '@' " +
                                     "to indicate that the value is a file path to load the rules from. '-' may also be " +
                                     "given to indicate that the rules are available on stdin";
}
