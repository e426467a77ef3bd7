namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role delete` (command/acl/role/delete).</summary>
internal sealed class RoleDeleteCommand : AclNamedDeleteCommand
{
    public RoleDeleteCommand() : base(AclNamedKind.Role, "Must specify the -id or -name parameters") => SealHelp();

    public override string Synopsis => "Delete an ACL role";

    protected override string HelpText => """

        Usage: consul acl role delete [options] -id ROLE

            Deletes an ACL role by providing the ID or a unique ID prefix.

            Delete by prefix:

                $ consul acl role delete -id b6b85

            Delete by full ID:

                $ consul acl role delete -id b6b856da-5193-4e78-845a-7d61ca8371ba

        """;
}
