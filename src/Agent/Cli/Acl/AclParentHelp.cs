namespace Consul.Agent.Cli.Acl;

/// <summary>Help of the grouping commands `acl`, `acl token`, `acl policy` and `acl role`.</summary>
internal static class AclParentHelp
{
    public static string Acl => Format("acl", "interacting with Consul's ACLs", """
          Bootstrap ACLs:

              $ consul acl bootstrap

          List all ACL Tokens:

              $ consul acl token list

          Create a new ACL Policy:

              $ consul acl policy create "new-policy" \
                                         -description "This is an example policy" \
                                         -datacenter "dc1" \
                                         -datacenter "dc2" \
                                         -rules @rules.hcl

          Set the default agent token:

              $ consul acl set-agent-token default 0bc6bc46-f25e-4262-b2d9-ffbe1d96be6f
        """);

    public static string Token => Format("acl token", "managing Consul ACL tokens", """
          Create a new ACL token:

              $ consul acl token create \
                                         -description "This is an example token" \
                                         -policy-id 06acc965
          List all tokens:

              $ consul acl token list

          Update a token:

              $ consul acl token update -accessor-id 986193 -description "WonderToken"

          Read a token with an accessor ID:

            $ consul acl token read -accessor-id 986193

          Delete a token

            $ consul acl token delete -accessor-id 986193
        """);

    public static string Policy => Format("acl policy", "managing Consul's ACL policies", """
          Create a new ACL policy:

              $ consul acl policy create -name "new-policy" \
                                         -description "This is an example policy" \
                                         -datacenter "dc1" \
                                         -datacenter "dc2" \
                                         -rules @rules.hcl
          List all policies:

              $ consul acl policy list

          Update a policy:

              $ consul acl policy update -name "other-policy" -datacenter "dc1"

          Read a policy:

            $ consul acl policy read -id 0479e93e-091c-4475-9b06-79a004765c24

          Delete a policy

            $ consul acl policy delete -name "my-policy"
        """);

    public static string Role => Format("acl role", "managing Consul's ACL roles", """
          Create a new ACL role:

              $ consul acl role create -name "new-role" \
                                       -description "This is an example role" \
                                       -policy-id 06acc965
          List all roles:

              $ consul acl role list

          Update a role:

              $ consul acl role update -name "other-role" -datacenter "dc1"

          Read a role:

            $ consul acl role read -id 0479e93e-091c-4475-9b06-79a004765c24

          Delete a role

            $ consul acl role delete -name "my-role"
        """);

    // The frame the four share: usage line, purpose, the common lead-in and closing line around the examples.
    private static string Format(string command, string purpose, string examples) => ConsulUsage.Format($"""
        Usage: consul {command} <subcommand> [options] [args]

          This command has subcommands for {purpose}.
          Here are some simple examples, and more detailed examples are available
          in the subcommands or the documentation.

        {examples}

          For more examples, ask for subcommand help or view the documentation.
        """, null);
}
