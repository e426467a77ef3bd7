using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Consul.Tests.Tls;

/// <summary>`consul tls ca create` and `consul tls cert create`: files, names, certificate contents and output, as Consul's.</summary>
[Collection(TlsProcesses.Name)]
public sealed class TlsCliTests : IDisposable
{
    private readonly TlsWorkDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static X509Certificate2 Cert(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

    private static List<string> SanEntries(X509Certificate2 c)
    {
        var san = c.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
        if (san is null) return [];
        return [.. san.EnumerateDnsNames().Select(d => "DNS:" + d), .. san.EnumerateIPAddresses().Select(i => "IP:" + i)];
    }

    [Fact(Timeout = 30_000)]
    public async Task Ca_create_writes_the_ca_and_its_key_and_refuses_to_overwrite_them()
    {
        var first = await _dir.Consul("a", "tls", "ca", "create");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal("==> Saved consul-agent-ca.pem\n==> Saved consul-agent-ca-key.pem\n", first.Stdout);

        using var ca = Cert(_dir["a/consul-agent-ca.pem"]);
        Assert.StartsWith("CN=Consul Agent CA ", ca.Subject);
        Assert.Contains("O=HashiCorp Inc.", ca.Subject);
        Assert.Equal(ca.Subject, ca.Issuer);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange((ca.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 1824, 1825.1);
        Assert.Equal("1.2.840.10045.2.1", ca.PublicKey.Oid.Value); // ECDSA
        var keyPem = await File.ReadAllTextAsync(_dir["a/consul-agent-ca-key.pem"]);
        Assert.StartsWith("-----BEGIN EC PRIVATE KEY-----", keyPem);
        using var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir["a/consul-agent-ca-key.pem"]));

        var again = await _dir.Consul("a", "tls", "ca", "create");
        Assert.Equal(1, again.ExitCode);
        Assert.Equal("consul-agent-ca.pem already exists.\n", again.Stderr);
        File.Delete(_dir["a/consul-agent-ca.pem"]);
        Assert.Equal("consul-agent-ca-key.pem already exists.\n", (await _dir.Consul("a", "tls", "ca", "create")).Stderr);
    }

    [Fact(Timeout = 30_000)]
    public async Task Ca_create_takes_name_days_domain_and_name_constraints()
    {
        var out1 = await _dir.ConsulOk("b", "tls", "ca", "create", "-common-name=My CA", "-days=10", "-domain=example",
            "-name-constraint", "-additional-name-constraint=ui.example.com");
        Assert.Equal("==> Saved example-agent-ca.pem\n==> Saved example-agent-ca-key.pem\n", out1);
        using var ca = Cert(_dir["b/example-agent-ca.pem"]);
        Assert.StartsWith("CN=My CA", ca.Subject);
        Assert.InRange((ca.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 9, 10.1);
        var constraints = ca.Extensions["2.5.29.30"];
        Assert.NotNull(constraints);
        Assert.True(constraints.Critical);
        Assert.Equal(["example", "localhost", "ui.example.com"], PermittedDnsNames(constraints.RawData).Order(StringComparer.Ordinal));

        // A certificate for a name outside the constraints does not verify, so nothing is saved.
        var outside = await _dir.Consul("b", "tls", "cert", "create", "-server", "-domain=example", "-dc=dc1", "-additional-dnsname=evil.org");
        Assert.Equal(1, outside.ExitCode);
        Assert.False(File.Exists(_dir["b/dc1-server-example-0.pem"]));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cert_create_server_saves_numbered_files_with_consuls_names()
    {
        await _dir.ConsulOk("c", "tls", "ca", "create");
        var out0 = await _dir.ConsulOk("c", "tls", "cert", "create", "-server", "-node=n1", "-additional-dnsname=consul.example.com",
            "-additional-ipaddress=127.0.0.40");
        Assert.Equal("""
            ==> WARNING: Server Certificates grants authority to become a
                server and access all state in the cluster including root keys
                and all ACL tokens. Do not distribute them to production hosts
                that are not server nodes. Store them as securely as CA keys.
            ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
            ==> Saved dc1-server-consul-0.pem
            ==> Saved dc1-server-consul-0-key.pem

            """, out0);
        var out1 = await _dir.ConsulOk("c", "tls", "cert", "create", "-server", "-dc=dc2");
        Assert.EndsWith("==> Saved dc2-server-consul-0.pem\n==> Saved dc2-server-consul-0-key.pem\n", out1);
        var out2 = await _dir.ConsulOk("c", "tls", "cert", "create", "-server");
        Assert.EndsWith("==> Saved dc1-server-consul-1.pem\n==> Saved dc1-server-consul-1-key.pem\n", out2);

        using var server = Cert(_dir["c/dc1-server-consul-0.pem"]);
        using var ca = Cert(_dir["c/consul-agent-ca.pem"]);
        Assert.Equal("CN=server.dc1.consul", server.Subject);
        Assert.Equal(ca.Subject, server.Issuer);
        Assert.Equal(["DNS:consul.example.com", "DNS:n1.server.dc1.consul", "DNS:server.dc1.consul", "DNS:localhost", "IP:127.0.0.40", "IP:127.0.0.1"],
            SanEntries(server));
        var usages = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        Assert.InRange((server.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 364, 365.1);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server));
        Assert.Equal(["DNS:server.dc2.consul", "DNS:localhost", "IP:127.0.0.1"], SanEntries(Cert(_dir["c/dc2-server-consul-0.pem"])));
    }

    [Fact(Timeout = 30_000)]
    public async Task Cert_create_client_and_cli_certificates()
    {
        await _dir.ConsulOk("d", "tls", "ca", "create");
        var client = await _dir.ConsulOk("d", "tls", "cert", "create", "-client", "-days=30");
        Assert.Equal("==> Using consul-agent-ca.pem and consul-agent-ca-key.pem\n==> Saved dc1-client-consul-0.pem\n==> Saved dc1-client-consul-0-key.pem\n", client);
        using var c = Cert(_dir["d/dc1-client-consul-0.pem"]);
        Assert.Equal("CN=client.dc1.consul", c.Subject);
        Assert.Equal(["DNS:client.dc1.consul", "DNS:localhost", "IP:127.0.0.1"], SanEntries(c));
        Assert.InRange((c.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 29, 30.1);

        var cli = await _dir.ConsulOk("d", "tls", "cert", "create", "-cli", "-additional-dnsname=ignored.example", "-additional-ipaddress=127.0.0.9");
        Assert.EndsWith("==> Saved dc1-cli-consul-0.pem\n==> Saved dc1-cli-consul-0-key.pem\n", cli);
        using var l = Cert(_dir["d/dc1-cli-consul-0.pem"]);
        Assert.Equal("CN=cli.dc1.consul", l.Subject);
        Assert.Equal(["DNS:cli.dc1.consul", "DNS:localhost"], SanEntries(l));
        Assert.Empty(l.Extensions.OfType<X509EnhancedKeyUsageExtension>());
    }

    [Fact(Timeout = 30_000)]
    public async Task Cert_create_errors_read_as_consuls()
    {
        var none = await _dir.Consul("e", "tls", "cert", "create");
        Assert.Equal((1, "Please provide either -server, -client, or -cli\n"), (none.ExitCode, none.Stderr));
        var two = await _dir.Consul("e", "tls", "cert", "create", "-server", "-client");
        Assert.Equal("Please provide either -server, -client, or -cli\n", two.Stderr);
        var node = await _dir.Consul("e", "tls", "cert", "create", "-client", "-node=n1");
        Assert.Equal("-node requires -server\n", node.Stderr);
        var noCa = await _dir.Consul("e", "tls", "cert", "create", "-client");
        Assert.Equal((1, "Error reading CA: open consul-agent-ca.pem: no such file or directory\n"), (noCa.ExitCode, noCa.Stderr));
        var noKey = await _dir.Consul("e", "tls", "cert", "create", "-client", "-ca=/nonexistent/ca.pem");
        Assert.Equal("Error reading CA: open /nonexistent/ca.pem: no such file or directory\n", noKey.Stderr);
    }
    /// <summary>The dNSName entries of a NameConstraints extension's permittedSubtrees (RFC 5280 4.2.1.10).</summary>
    private static List<string> PermittedDnsNames(byte[] extension)
    {
        var constraints = new System.Formats.Asn1.AsnReader(extension, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var permitted = constraints.ReadSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0));
        var names = new List<string>();
        while (permitted.HasData)
        {
            var subtree = permitted.ReadSequence();
            var dnsName = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 2);
            if (subtree.PeekTag().HasSameClassAndValue(dnsName))
                names.Add(subtree.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, dnsName));
        }
        return names;
    }
}

/// <summary>The TLS tests that start `consul` processes run one at a time: the machine has few cores.</summary>
[CollectionDefinition(Name)]
public sealed class TlsProcesses
{
    public const string Name = "tls-processes";
}
