using Consul.Agent.Tls;

namespace Consul.Agent.Cli.Tls;

/// <summary>`consul tls ca create` (command/tls/ca/create): writes &lt;domain&gt;-agent-ca.pem and its key, never over existing files.</summary>
internal sealed class TlsCaCreateCommand : CliCommand
{
    private readonly GoFlagSet _flags = new();
    private int _days = 1825;
    private string _domain = "consul";
    private string _clusterId = "";
    private string _commonName = "";
    private bool _constraint;
    private readonly List<string> _additionalConstraints = [];

    public TlsCaCreateCommand()
    {
        _flags.Add(new GoFlag
        {
            Name = "days", Kind = GoFlagKind.Int, DefValue = "1825",
            Usage = "Number of days the CA is valid for. Defaults to 1825 days (approximately 5 years).",
            Set = v => int.TryParse(v, out _days) ? null : "parse error",
        });
        _flags.Bool("name-constraint", "Enables X.509 name constraints for the CA. " +
            "If used, the CA only signs certificates for localhost and the domains specified by -domain and -additional-name-constraint. " +
            "If Consul's UI is served over HTTPS in your deployment, add its DNS name with -additional-constraint. Defaults to false.",
            v => _constraint = v);
        _flags.String("domain", "The DNS domain of the Consul cluster that agents are configured with. " +
            "Defaults to consul. Only used when -name-constraint is set. " +
            "Additional domains can be passed with -additional-name-constraint.", v => _domain = v, "consul");
        _flags.String("cluster-id", "ID of the Consul cluster. Sets the CA's URI with the SPIFFEID composed of the cluster ID and domain  (specified by -domain or 'consul' by default).",
            v => _clusterId = v);
        _flags.String("common-name", "Common Name of CA. Defaults to Consul Agent CA.", v => _commonName = v);
        _flags.Value("additional-name-constraint", "Add name constraints for the CA. Results in rejecting certificates " +
            "for other DNS than specified. Can be used multiple times. Only used in combination with -name-constraint.",
            v => { _additionalConstraints.Add(v); return null; });
    }

    public override string Synopsis => "Create a new consul CA";

    public override string Help => ConsulUsage.Format("""
        Usage: consul tls ca create [options]

          Create a new consul CA:

          $ consul tls ca create
          ==> saved consul-agent-ca.pem
          ==> saved consul-agent-ca-key.pem
        """, _flags);

    public override Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try { _flags.Parse(args, ctx.Stderr); }
        catch (GoFlagParseException) { return Task.FromResult(1); }

        var certFile = $"{_domain}-agent-ca.pem";
        var keyFile = $"{_domain}-agent-ca-key.pem";
        foreach (var f in new[] { certFile, keyFile })
        {
            if (!TlsFiles.Exists(f)) continue;
            ctx.Err(f + " already exists.");
            return Task.FromResult(1);
        }

        // Consul permits the extra names first, then the domain and localhost.
        List<string> constraints = _constraint ? [.. _additionalConstraints, _domain, "localhost"] : [];
        var (cert, key) = AgentCertificates.CreateCa(new CaOptions
        {
            Name = _commonName, Days = _days, Domain = _domain, PermittedDnsDomains = constraints, ClusterId = _clusterId,
        }, DateTimeOffset.UtcNow);
        try
        {
            TlsFiles.WriteAtomic(certFile, cert, secret: false);
            ctx.Out("==> Saved " + certFile);
            TlsFiles.WriteAtomic(keyFile, key, secret: true);
            ctx.Out("==> Saved " + keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Err(e.Message);
            return Task.FromResult(1);
        }
        return Task.FromResult(0);
    }
}
