using Consul.Agent.Cli.Acl;

namespace Consul.Agent.Cli;

/// <summary>The commands this CLI runs, keyed like Consul's command map ("kv put").</summary>
internal static class CommandRegistry
{
    public static Dictionary<string, Func<CliCommand>> Create() => new(StringComparer.Ordinal)
    {
        ["version"] = () => new VersionCommand(),
        ["members"] = () => new MembersCommand(),
        ["rtt"] = () => new RttCommand(),
        ["info"] = () => new InfoCommand(),
        ["keygen"] = () => new KeygenCommand(),
        ["reload"] = () => new ReloadCommand(),
        ["leave"] = () => new LeaveCommand(),
        ["join"] = () => new JoinCommand(),
        ["force-leave"] = () => new ForceLeaveCommand(),
        ["event"] = () => new EventCommand(),
        ["monitor"] = () => new MonitorCommand(),
        ["lock"] = () => new LockCommand(),
        ["watch"] = () => new WatchCommand(),
        ["kv"] = () => new ParentCommand("Interact with the key-value store", ParentHelp.Kv),
        ["kv put"] = () => new KvPutCommand(),
        ["kv get"] = () => new KvGetCommand(),
        ["kv delete"] = () => new KvDeleteCommand(),
        ["kv export"] = () => new KvExportCommand(),
        ["kv import"] = () => new KvImportCommand(),
        ["catalog"] = () => new ParentCommand("Interact with the catalog", ParentHelp.Catalog),
        ["catalog datacenters"] = () => new CatalogDatacentersCommand(),
        ["catalog nodes"] = () => new CatalogNodesCommand(),
        ["catalog services"] = () => new CatalogServicesCommand(),
        ["services"] = () => new ParentCommand("Interact with services", ParentHelp.Services),
        ["services register"] = () => new ServicesRegisterCommand(),
        ["services deregister"] = () => new ServicesDeregisterCommand(),
        ["operator"] = () => new ParentCommand("Provides cluster-level tools for Consul operators", ParentHelp.Operator),
        ["operator raft"] = () => new ParentCommand("Provides cluster-level tools for Consul operators", ParentHelp.OperatorRaft),
        ["operator raft list-peers"] = () => new RaftListPeersCommand(),
        ["operator raft remove-peer"] = () => new RaftRemovePeerCommand(),
        ["operator raft transfer-leader"] = () => new RaftTransferLeaderCommand(),
        ["acl"] = () => new ParentCommand("Interact with Consul's ACLs", AclParentHelp.Acl),
        ["acl bootstrap"] = () => new AclBootstrapCommand(),
        ["acl set-agent-token"] = () => new AclSetAgentTokenCommand(),
        ["acl token"] = () => new ParentCommand("Manage Consul's ACL tokens", AclParentHelp.Token),
        ["acl token create"] = () => new TokenCreateCommand(),
        ["acl token read"] = () => new TokenReadCommand(),
        ["acl token update"] = () => new TokenUpdateCommand(),
        ["acl token clone"] = () => new TokenCloneCommand(),
        ["acl token delete"] = () => new TokenDeleteCommand(),
        ["acl token list"] = () => new TokenListCommand(),
        ["acl policy"] = () => new ParentCommand("Manage Consul's ACL policies", AclParentHelp.Policy),
        ["acl policy create"] = () => new PolicyCreateCommand(),
        ["acl policy read"] = () => new PolicyReadCommand(),
        ["acl policy update"] = () => new PolicyUpdateCommand(),
        ["acl policy delete"] = () => new PolicyDeleteCommand(),
        ["acl policy list"] = () => new PolicyListCommand(),
        ["acl role"] = () => new ParentCommand("Manage Consul's ACL roles", AclParentHelp.Role),
        ["acl role create"] = () => new RoleCreateCommand(),
        ["acl role read"] = () => new RoleReadCommand(),
        ["acl role update"] = () => new RoleUpdateCommand(),
        ["acl role delete"] = () => new RoleDeleteCommand(),
        ["acl role list"] = () => new RoleListCommand(),
        // consul tls (Cli/Tls)
        ["tls"] = () => new ParentCommand("Builtin helpers for creating CAs and certificates", Tls.TlsHelp.Tls),
        ["tls ca"] = () => new ParentCommand("Helpers for CAs", Tls.TlsHelp.Ca),
        ["tls ca create"] = () => new Tls.TlsCaCreateCommand(),
        ["tls cert"] = () => new ParentCommand("Helpers for certificates", Tls.TlsHelp.Cert),
        ["tls cert create"] = () => new Tls.TlsCertCreateCommand(),
    };
}

/// <summary>Help texts of the grouping commands, in Consul's flags.Usage layout.</summary>
internal static class ParentHelp
{
    public static string Kv => ConsulUsage.Format("""
        Usage: consul kv <subcommand> [options] [args]

          This command has subcommands for interacting with Consul's key-value
          store. Here are some simple examples, and more detailed examples are
          available in the subcommands or the documentation.

          Create or update the key named "redis/config/connections" with the value "5":

              $ consul kv put redis/config/connections 5

          Read this value back:

              $ consul kv get redis/config/connections

          Or get detailed key information:

              $ consul kv get -detailed redis/config/connections

          Finally, delete the key:

              $ consul kv delete redis/config/connections

          For more examples, ask for subcommand help or view the documentation.
        """, null);

    public static string Catalog => ConsulUsage.Format("""
        Usage: consul catalog <subcommand> [options] [args]

          This command has subcommands for interacting with Consul's catalog. The
          catalog should not be confused with the agent, although the APIs and
          responses may be similar.

          Here are some simple examples, and more detailed examples are available
          in the subcommands or the documentation.

          List all datacenters:

              $ consul catalog datacenters

          List all nodes:

              $ consul catalog nodes

          List all services:

              $ consul catalog services

          For more examples, ask for subcommand help or view the documentation.
        """, null);

    public static string Services => ConsulUsage.Format("""
        Usage: consul services <subcommand> [options] [args]

          This command has subcommands for interacting with services. The subcommands
          default to working with services registered with the local agent. Please see
          the "consul catalog" command for interacting with the entire catalog.

          For more examples, ask for subcommand help or view the documentation.
        """, null);

    public static string Operator => ConsulUsage.Format("""
        Usage: consul operator <subcommand> [options]

          Provides cluster-level tools for Consul operators, such as interacting with
          the Raft subsystem. NOTE: Use this command with extreme caution, as improper
          use could lead to a Consul outage and even loss of data.

          If ACLs are enabled then a token with operator privileges may be required in
          order to use this command. Requests are forwarded internally to the leader
          if required, so this can be run from any Consul node in a cluster.

          Run consul operator <subcommand> with no arguments for help on that
          subcommand.
        """, null);

    public static string OperatorRaft => ConsulUsage.Format("""
        Usage: consul operator raft <subcommand> [options]

        The Raft operator command is used to interact with Consul's Raft subsystem. The
        command can be used to verify Raft peers or in rare cases to recover quorum by
        removing invalid peers.
        """, null);
}
