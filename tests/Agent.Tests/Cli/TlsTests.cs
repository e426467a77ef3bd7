using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Consul.Tests.Cli;

/// <summary>HTTPS to the agent: -ca-file / CONSUL_CACERT trust, CONSUL_HTTP_SSL_VERIFY=false.</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("consul-cli-tls").FullName;
    private FakeConsulServer _server = null!;
    private string _caFile = "";

    public async Task InitializeAsync()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        _caFile = Path.Combine(_dir, "ca.pem");
        await File.WriteAllTextAsync(_caFile, ca.ExportCertificatePem());
        _server = await FakeConsulServer.StartAsync(IssueLeaf(ca, withLoopbackIp: true));
        _server.On("PUT /v1/agent/reload", FakeResponse.Json(""));
        _dnsOnlyServer = await FakeConsulServer.StartAsync(IssueLeaf(ca, withLoopbackIp: false));
        _dnsOnlyServer.On("PUT /v1/agent/reload", FakeResponse.Json(""));
        _mtlsServer = await FakeConsulServer.StartAsync(IssueLeaf(ca, withLoopbackIp: true), requireClientCert: true);
        _mtlsServer.On("PUT /v1/agent/reload", FakeResponse.Json(""));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientReq = new CertificateRequest("CN=cli.dc1.consul", clientKey, HashAlgorithmName.SHA256);
        clientReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientReq.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [9, 9]);
        _clientCert = Path.Combine(_dir, "client.pem");
        _clientKey = Path.Combine(_dir, "client-key.pem");
        await File.WriteAllTextAsync(_clientCert, client.ExportCertificatePem());
        await File.WriteAllTextAsync(_clientKey, clientKey.ExportPkcs8PrivateKeyPem());
    }

    private FakeConsulServer _mtlsServer = null!;
    private string _clientCert = "", _clientKey = "";

    private FakeConsulServer _dnsOnlyServer = null!;

    private static X509Certificate2 IssueLeaf(X509Certificate2 ca, bool withLoopbackIp)
    {
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafReq = new CertificateRequest("CN=server.dc1.consul", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (withLoopbackIp) san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("server.dc1.consul");
        leafReq.CertificateExtensions.Add(san.Build());
        leafReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leafPublic = leafReq.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1),
            [1, 2, 3, (byte)(withLoopbackIp ? 4 : 5)]);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        // Kestrel needs an exportable key; a PKCS#12 round trip gives it one.
        return X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dnsOnlyServer.DisposeAsync();
        await _mtlsServer.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact(Timeout = 20000)]
    public async Task Ca_file_flag_trusts_the_agent_certificate()
    {
        var r = await CliRunner.RunAsync("https://" + _server.Address, ["reload", "-ca-file=" + _caFile]);

        Assert.Equal(new CliResult(0, "Configuration reload triggered\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Cacert_env_with_ssl_env()
    {
        var r = await CliRunner.RunAsync(_server.Address, ["reload"],
            env: new() { ["CONSUL_CACERT"] = _caFile, ["CONSUL_HTTP_SSL"] = "1" });

        Assert.Equal(0, r.Code);
    }

    [Fact(Timeout = 20000)]
    public async Task Untrusted_certificate_fails_unless_verification_is_off()
    {
        var untrusted = await CliRunner.RunAsync("https://" + _server.Address, ["reload"]);
        var skipped = await CliRunner.RunAsync("https://" + _server.Address, ["reload"],
            env: new() { ["CONSUL_HTTP_SSL_VERIFY"] = "false" });

        Assert.Equal(1, untrusted.Code);
        Assert.Equal($"Error reloading: Put \"https://{_server.Address}/v1/agent/reload\": " +
                     "tls: failed to verify certificate: x509: certificate signed by unknown authority\n", untrusted.Stderr);
        Assert.Equal(0, skipped.Code);
        Assert.Single(_server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Missing_ca_file_fails_before_connecting()
    {
        var r = await CliRunner.RunAsync("https://" + _server.Address, ["reload", "-ca-file=/nonexistent/ca.pem"]);

        Assert.Equal(new CliResult(1, "",
            "Error connecting to Consul agent: Error loading CA File: open /nonexistent/ca.pem: no such file or directory\n"), r);
        Assert.Empty(_server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Tls_server_name_is_used_for_verification()
    {
        var addr = "https://" + _dnsOnlyServer.Address;

        var byIp = await CliRunner.RunAsync(addr, ["reload", "-ca-file=" + _caFile]);
        var byName = await CliRunner.RunAsync(addr, ["reload", "-ca-file=" + _caFile, "-tls-server-name=server.dc1.consul"]);

        Assert.Equal(1, byIp.Code);
        Assert.Equal(new CliResult(0, "Configuration reload triggered\n", ""), byName);
    }

    [Fact(Timeout = 20000)]
    public async Task Client_certificate_is_presented_when_configured()
    {
        var addr = "https://" + _mtlsServer.Address;

        var without = await CliRunner.RunAsync(addr, ["reload", "-ca-file=" + _caFile]);
        var with = await CliRunner.RunAsync(addr, ["reload", "-ca-file=" + _caFile],
            env: new() { ["CONSUL_CLIENT_CERT"] = _clientCert, ["CONSUL_CLIENT_KEY"] = _clientKey });

        Assert.Equal(1, without.Code);
        Assert.Equal(new CliResult(0, "Configuration reload triggered\n", ""), with);
    }
}
