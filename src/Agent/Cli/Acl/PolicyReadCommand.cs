namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy read` (command/acl/policy/read).</summary>
internal sealed class PolicyReadCommand : AclNamedReadCommand<AclPolicyDto>
{
    public PolicyReadCommand() : base(AclNamedKind.Policy) => SealHelp();

    public override string Synopsis => "Read an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy read [options] POLICY

            This command will retrieve and print out the details
            of a single policy.

            Read:

                $ consul acl policy read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

            Read by name:

                $ consul acl policy read -name my-policy

        """;

    protected override async Task<AclPolicyDto?> ReadByIdAsync(AclApi api, string id) => await api.PolicyReadAsync(id);

    protected override Task<AclPolicyDto?> ReadByNameAsync(AclApi api, string name) => AclLookup.PolicyByNameAsync(api, name);

    protected override string ReadFailure(bool byId, string key) => $"Error reading policy {GoFlagSet.GoQuote((byId ? "id:" : "name:") + key)}";

    // Only a read by name can come back empty (a missing ID is an error from the agent).
    protected override string NotFound(bool byId, string key) => $"Error policy not found: {key}";

    protected override string Format(AclOutputFormat format, AclPolicyDto found) =>
        new PolicyFormatter(format, ShowMeta).FormatPolicy(found);
}
