namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl policy update` (command/acl/policy/update): merges the flags that were given
/// into the current policy, or with -no-merge replaces every field.
/// </summary>
internal sealed class PolicyUpdateCommand : AclCommand
{
    private string _id = "", _name = "", _description = "", _rules = "";
    private bool _nameSet, _descriptionSet, _rulesSet, _noMerge;
    private List<string>? _datacenters;

    public PolicyUpdateCommand()
    {
        AddMetaFlag("policy");
        Flags.String("id", "The ID of the policy to update. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple policy IDs", v => _id = v);
        Flags.String("name", "The policies name.", v => { _name = v; _nameSet = true; });
        Flags.String("description", "A description of the policy", v => { _description = v; _descriptionSet = true; });
        Flags.Value("valid-datacenter", "Datacenter that the policy should be valid within. This flag may be specified multiple times",
            v => { (_datacenters ??= []).Add(v); return null; });
        Flags.String("rules", PolicyFlags.RulesUsage, v => { _rules = v; _rulesSet = true; });
        Flags.Bool("no-merge", "Do not merge the current policy " +
                               "information with what is provided to the command. Instead overwrite all fields " +
                               "with the exception of the policy ID which is immutable.", v => _noMerge = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Update an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy update [options]

          Updates a policy. By default it will merge the policy information with its
          current state so that you do not have to provide all parameters. This
          behavior can be disabled by passing -no-merge.

          Rename the policy:

                  $ consul acl policy update -id abcd -name "better-name"

          Override all policy attributes:

                  # this will remove any datacenter scope if provided and will remove
                  # the description
                  $consul acl policy update -id abcd -name "better-name" -rules @rules.hcl
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (!IdOrNameGiven(ctx, _id, _name, "Must specify either the -id or -name parameters")) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        var kind = AclNamedKind.Policy;
        if (await TryAsync(ctx, kind.DetermineIdFailure, () => kind.IdFromPartialOrNameAsync(api, _id, _name)) is not (true, var policyId))
            return 1;

        if (await TryAsync(ctx, "Error loading data source", () => AclDataSource.LoadAsync(_rules, ctx)) is not (true, var rules)) return 1;

        AclPolicyDto updated;
        if (_noMerge)
        {
            updated = new AclPolicyDto { ID = policyId, Name = _name, Description = _description, Datacenters = _datacenters, Rules = rules };
        }
        else
        {
            if (await TryAsync(ctx, $"Error reading policy {GoFlagSet.GoQuote(policyId)}", () => api.PolicyReadAsync(policyId)) is not (true, var current))
                return 1;
            updated = new AclPolicyDto
            {
                ID = policyId,
                Name = _nameSet ? _name : current.Name,
                Description = _descriptionSet ? _description : current.Description,
                Datacenters = _datacenters ?? current.Datacenters,
                Rules = _rulesSet ? rules : current.Rules,
            };
        }

        if (await TryAsync(ctx, $"Error updating policy {GoFlagSet.GoQuote(policyId)}", () => api.PolicyUpdateAsync(updated)) is not (true, var result))
            return 1;

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new PolicyFormatter(format, ShowMeta).FormatPolicy(result));
        return 0;
    }
}
