namespace Consul.Agent.Cli.Tls;

/// <summary>Help of the grouping commands `consul tls`, `tls ca`, `tls cert` (command/tls/...).</summary>
internal static class TlsHelp
{
    public static string Tls => ConsulUsage.Format("""
        Usage: consul tls <subcommand> <subcommand> [options]

          This command has subcommands for interacting with Consul TLS.

          Here are some simple examples, and more detailed examples are available
          in the subcommands or the documentation.

          Create a CA

            $ consul tls ca create

          Create a server certificate

            $ consul tls cert create -server

          Create a client certificate

            $ consul tls cert create -client

          For more examples, ask for subcommand help or view the documentation.
        """, null);

    public static string Ca => ConsulUsage.Format("""
        Usage: consul tls ca <subcommand> [options] filename-prefix

          This command has subcommands for interacting with Certificate Authorities.

          Here are some simple examples, and more detailed examples are available
          in the subcommands or the documentation.

          Create a CA

            $ consul tls ca create

          For more examples, ask for subcommand help or view the documentation.
        """, null);

    public static string Cert => ConsulUsage.Format("""
        Usage: consul tls cert <subcommand> [options] [filename-prefix]

          This command has subcommands for interacting with certificates

          Here are some simple examples, and more detailed examples are available
          in the subcommands or the documentation.

          Create a certificate

            $ consul tls cert create -server

          Create a certificate with your own CA:

            $ consul tls cert create -server -ca my-ca.pem -ca-key my-ca-key.pem

          For more examples, ask for subcommand help or view the documentation.
        """, null);
}
