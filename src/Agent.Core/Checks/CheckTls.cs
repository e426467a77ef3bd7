using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Consul.Core.Checks;

/// <summary>
/// The TLS client settings of HTTPS and gRPC+TLS checks (Consul's OutgoingTLSConfigForCheck):
/// TLSSkipVerify, TLSServerName, and the agent's CA and client certificate.
/// </summary>
internal static class CheckTls
{
    public static SslClientAuthenticationOptions Options(bool skipVerify, string? serverName, CheckManagerOptions agent)
    {
        var ssl = new SslClientAuthenticationOptions();
        if (!string.IsNullOrEmpty(serverName)) ssl.TargetHost = serverName;
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
        return ssl;
    }
}
