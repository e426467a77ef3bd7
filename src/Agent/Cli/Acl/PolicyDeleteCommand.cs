namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy delete` (command/acl/policy/delete).</summary>
internal sealed class PolicyDeleteCommand : AclNamedDeleteCommand
{
    public PolicyDeleteCommand() : base(AclNamedKind.Policy, "Must specify either the -id or -name parameters") => SealHelp();

    public override string Synopsis => "Delete an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy delete [options] -id POLICY

            Deletes an ACL policy by providing either the ID or a unique ID prefix.

            Delete by prefix:

                $ consul acl policy delete -id b6b85

            Delete by full ID:

                $ consul acl policy delete -id b6b856da-5193-4e78-845a-7d61ca8371ba

        """;
}
