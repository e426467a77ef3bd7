using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Consul.Core.Checks;

/// <summary>
/// The TLS client settings of HTTPS and gRPC+TLS checks (Consul's OutgoingTLSConfigForCheck):
/// TLSSkipVerify, TLSServerName, and the agent's CA and client certificate. TLSServerName is
/// the name the certificate is verified against; unlike Go, SNI still carries the URL's host.
/// </summary>
internal static class CheckTls
{
    public static SslClientAuthenticationOptions Options(bool skipVerify, string? serverName, CheckManagerOptions agent)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (agent.CheckTlsClientCertificate is { } cert) ssl.ClientCertificates = new X509CertificateCollection { cert };
        if (skipVerify)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (agent.CheckTlsCaCertificates is { Count: > 0 } cas)
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(cas);
        }
        if (!skipVerify && !string.IsNullOrEmpty(serverName))
        {
            // SocketsHttpHandler always verifies against the URL's host, so the name check
            // against TLSServerName is done here; chain errors still fail the handshake.
            ssl.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
                cert is not null
                && (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                && (cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData())).MatchesHostname(serverName);
        }
        return ssl;
    }
}
