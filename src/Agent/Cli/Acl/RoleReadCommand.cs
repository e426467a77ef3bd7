namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl role read` (command/acl/role/read).</summary>
internal sealed class RoleReadCommand : AclNamedReadCommand<AclRoleDto>
{
    public RoleReadCommand() : base(AclNamedKind.Role) => SealHelp();

    public override string Synopsis => "Read an ACL role";

    protected override string HelpText => """

        Usage: consul acl role read [options] ROLE

            This command will retrieve and print out the details
            of a single role.

            Read:

                $ consul acl role read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

            Read by name:

                $ consul acl role read -name my-policy

        """;

    protected override Task<AclRoleDto?> ReadByIdAsync(AclApi api, string id) => api.RoleReadAsync(id);

    protected override Task<AclRoleDto?> ReadByNameAsync(AclApi api, string name) => api.RoleReadByNameAsync(name);

    protected override string ReadFailure(bool byId, string key) => $"Error reading role {GoFlagSet.GoQuote(key)}";

    protected override string NotFound(bool byId, string key) => byId ? NotFoundById(key) : $"Role not found with name {GoFlagSet.GoQuote(key)}";

    /// <summary>Also what `acl role update` says when the role it is to update is gone.</summary>
    public static string NotFoundById(string id) => $"Role not found with ID {GoFlagSet.GoQuote(id)}";

    protected override string Format(AclOutputFormat format, AclRoleDto found) =>
        new RoleFormatter(format, ShowMeta).FormatRole(found);
}
