using System.Net;
using System.Security.Cryptography;
using Consul.Agent.Tls;
using Consul.Core.Rpc;

namespace Consul.Agent.Cli.Tls;

/// <summary>
/// `consul tls cert create -server|-client|-cli` (command/tls/cert/create): a new key and a
/// certificate signed by the agent CA, saved as &lt;dc&gt;-&lt;kind&gt;-&lt;domain&gt;-&lt;n&gt;.pem with the
/// first free n. Server certificates carry server.&lt;dc&gt;.&lt;domain&gt;, localhost and 127.0.0.1.
/// </summary>
internal sealed class TlsCertCreateCommand : CliCommand
{
    private readonly GoFlagSet _flags = new();
    private string _ca = "#DOMAIN#-agent-ca.pem";
    private string _key = "#DOMAIN#-agent-ca-key.pem";
    private bool _server, _client, _cli;
    private string _node = "";
    private int _days = 365;
    private string _dc = "dc1";
    private string _domain = "consul";
    private readonly List<string> _dnsNames = [];
    private readonly List<string> _ipAddresses = [];

    public TlsCertCreateCommand()
    {
        _flags.String("ca", "Provide path to the ca. Defaults to #DOMAIN#-agent-ca.pem.", v => _ca = v, "#DOMAIN#-agent-ca.pem");
        _flags.String("key", "Provide path to the key. Defaults to #DOMAIN#-agent-ca-key.pem.", v => _key = v, "#DOMAIN#-agent-ca-key.pem");
        _flags.Bool("server", "Generate server certificate.", v => _server = v);
        _flags.Bool("client", "Generate client certificate.", v => _client = v);
        _flags.String("node", "When generating a server cert and this is set an additional dns name is included of the form <node>.server.<datacenter>.<domain>.",
            v => _node = v);
        _flags.Bool("cli", "Generate cli certificate.", v => _cli = v);
        _flags.Add(new GoFlag
        {
            Name = "days", Kind = GoFlagKind.Int, DefValue = "365",
            Usage = "Provide number of days the certificate is valid for from now on. Defaults to 1 year.",
            Set = v => int.TryParse(v, out _days) ? null : "parse error",
        });
        _flags.String("dc", "Provide the datacenter. Matters only for -server certificates. Defaults to dc1.", v => _dc = v, "dc1");
        _flags.String("domain", "Provide the domain. Matters only for -server certificates.", v => _domain = v, "consul");
        _flags.Value("additional-dnsname", "Provide an additional dnsname for Subject Alternative Names. " +
            "localhost is always included. This flag may be provided multiple times.", v => { _dnsNames.Add(v); return null; });
        _flags.Value("additional-ipaddress", "Provide an additional ipaddress for Subject Alternative Names. " +
            "127.0.0.1 is always included. This flag may be provided multiple times.", v => { _ipAddresses.Add(v); return null; });
    }

    public override string Synopsis => "Create a new certificate";

    public override string Help => ConsulUsage.Format("""
        Usage: consul tls cert create [options]

          Create a new certificate

          $ consul tls cert create -server
          ==> WARNING: Server Certificates grants authority to become a
              server and access all state in the cluster including root keys
              and all ACL tokens. Do not distribute them to production hosts
              that are not server nodes. Store them as securely as CA keys.
          ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
          ==> Saved dc1-server-consul-0.pem
          ==> Saved dc1-server-consul-0-key.pem
          $ consul tls cert create -client
          ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
          ==> Saved dc1-client-consul-0.pem
          ==> Saved dc1-client-consul-0-key.pem
        """, _flags);

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try { _flags.Parse(args, ctx.Stderr); }
        catch (GoFlagParseException) { return 1; }
        if (_ca.Length == 0) return Fail(ctx, "Please provide the ca");
        if (_key.Length == 0) return Fail(ctx, "Please provide the key");
        if ((_server ? 1 : 0) + (_client ? 1 : 0) + (_cli ? 1 : 0) != 1) return Fail(ctx, "Please provide either -server, -client, or -cli");
        if (_node.Length > 0 && !_server) return Fail(ctx, "-node requires -server");

        var dnsNames = _dnsNames.Where(d => d.Length > 0).Select(d => d.Trim()).ToList();
        var ips = new List<IPAddress>();
        foreach (var raw in _ipAddresses.Where(i => i.Length > 0))
        {
            if (!IPAddress.TryParse(raw.Trim(), out var ip)) return Fail(ctx, $"invalid IP address: {raw.Trim()}");
            ips.Add(ip);
        }

        string name, prefix;
        List<Oid> usage = [];
        if (_server)
        {
            name = $"server.{_dc}.{_domain}";
            if (_node.Length > 0) dnsNames.Add($"{_node}.server.{_dc}.{_domain}");
            dnsNames.AddRange([name, "localhost"]);
            ips.Add(IPAddress.Loopback);
            usage = [CertificateChecks.ServerAuth, CertificateChecks.ClientAuth];
            prefix = $"{_dc}-server-{_domain}";
        }
        else if (_client)
        {
            name = $"client.{_dc}.{_domain}";
            dnsNames.AddRange([name, "localhost"]);
            ips.Add(IPAddress.Loopback);
            usage = [CertificateChecks.ClientAuth, CertificateChecks.ServerAuth];
            prefix = $"{_dc}-client-{_domain}";
        }
        else
        {
            name = $"cli.{_dc}.{_domain}";
            // Consul's -cli certificate has only these names and no IPs or key usages.
            dnsNames = [name, "localhost"];
            ips.Clear();
            prefix = $"{_dc}-cli-{_domain}";
        }

        string? certFile = null, keyFile = null;
        for (var i = 0; i <= 10000 && certFile is null; i++)
        {
            if (TlsFiles.Exists($"{prefix}-{i}.pem") || TlsFiles.Exists($"{prefix}-{i}-key.pem")) continue;
            (certFile, keyFile) = ($"{prefix}-{i}.pem", $"{prefix}-{i}-key.pem");
        }
        if (certFile is null || keyFile is null) return Fail(ctx, "Could not find a filename that doesn't already exist");

        var caFile = ReplaceFirst(_ca, "#DOMAIN#", _domain);
        var caKeyFile = ReplaceFirst(_key, "#DOMAIN#", _domain);
        string caPem, caKeyPem;
        try { caPem = await File.ReadAllTextAsync(caFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(ctx, $"Error reading CA: {GoErrors.OpenError(caFile, e)}"); }
        try { caKeyPem = await File.ReadAllTextAsync(caKeyFile); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail(ctx, $"Error reading CA key: {GoErrors.OpenError(caKeyFile, e)}"); }

        if (_server)
            ctx.Out("""
                ==> WARNING: Server Certificates grants authority to become a
                    server and access all state in the cluster including root keys
                    and all ACL tokens. Do not distribute them to production hosts
                    that are not server nodes. Store them as securely as CA keys.
                """);
        ctx.Out($"==> Using {caFile} and {caKeyFile}");

        string cert, key;
        try
        {
            (cert, key) = AgentCertificates.CreateCert(new CertOptions
            {
                Name = name, Days = _days, DnsNames = dnsNames, IpAddresses = ips, ExtKeyUsage = usage,
            }, caPem, caKeyPem, DateTimeOffset.UtcNow);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return Fail(ctx, $"failed to create certificate: {e.Message}");
        }
        if (AgentCertificates.Verify(caPem, cert, name) is { } problem) return Fail(ctx, problem);

        try
        {
            TlsFiles.WriteAtomic(certFile, cert, secret: false);
            ctx.Out("==> Saved " + certFile);
            TlsFiles.WriteAtomic(keyFile, key, secret: true);
            ctx.Out("==> Saved " + keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(ctx, e.Message);
        }
        return 0;
    }

    private static int Fail(CliContext ctx, string message)
    {
        ctx.Err(message);
        return 1;
    }

    private static string ReplaceFirst(string s, string what, string with)
    {
        var i = s.IndexOf(what, StringComparison.Ordinal);
        return i < 0 ? s : s[..i] + with + s[(i + what.Length)..];
    }
}
