using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consul.Core.Checks;
using Consul.Core.Model;
using Microsoft.AspNetCore.Builder;

namespace Consul.Tests.Checks;

public class HttpsCheckTests
{
    /// <summary>A self-signed certificate for "consul.test" (not for 127.0.0.1).</summary>
    internal static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=consul.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("consul.test");
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Round-trip through PKCS#12 so Kestrel gets a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null);
    }

    private static Task<TestWebServer> Server(X509Certificate2 cert) =>
        TestWebServer.StartAsync(app => app.MapGet("/ok", () => "secure"), certificate: cert);

    [Fact(Timeout = 30_000)]
    public async Task UntrustedCertificateIsCritical()
    {
        using var cert = SelfSigned();
        await using var web = await Server(cert);
        await using var h = new CheckHarness();
        h.Manager.Start("h", Defs.Http(web.HttpsUrl("/ok")));
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.StartsWith($"Get \"{web.HttpsUrl("/ok")}\": tls: failed to verify certificate: ", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task SkipVerifyAcceptsAnyCertificate()
    {
        using var cert = SelfSigned();
        await using var web = await Server(cert);
        await using var h = new CheckHarness();
        var def = Defs.Http(web.HttpsUrl("/ok"));
        def.TLSSkipVerify = true;
        h.Manager.Start("h", def);
        var u = await h.DriveUntilUpdate("h");
        Assert.Equal(new CheckUpdate("h", HealthStatus.Passing, $"HTTP GET {web.HttpsUrl("/ok")}: 200 OK Output: secure"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task AgentCaAndServerNameVerifyTheCertificate()
    {
        using var cert = SelfSigned();
        await using var web = await Server(cert);
        using var caOnly = X509CertificateLoader.LoadCertificate(cert.RawData);
        await using var h = new CheckHarness(new CheckManagerOptions { CheckTlsCaCertificates = [caOnly] });

        var named = Defs.Http(web.HttpsUrl("/ok"));
        named.TLSServerName = "consul.test";
        h.Manager.Start("named", named);
        var wrongName = Defs.Http(web.HttpsUrl("/ok"));
        wrongName.TLSServerName = "other.test";
        h.Manager.Start("wrong", wrongName);

        Assert.Equal(HealthStatus.Passing, (await h.DriveUntilUpdate("named")).Status);
        Assert.Equal(HealthStatus.Critical, (await h.DriveUntilUpdate("wrong")).Status);
    }
}
