using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Rpc;

/// <summary>
/// TLS for this agent's outgoing server RPC and Raft connections (tls.internal_rpc with
/// verify_outgoing): https to port 8300, the agent's own certificate presented for mutual TLS,
/// the server's certificate checked against the configured CAs (not the system store, as
/// Go's tls.Config.RootCAs) and, with verify_server_hostname, required to be for
/// <see cref="ServerName"/> ("server.&lt;datacenter&gt;.&lt;domain&gt;").
/// </summary>
public sealed class RpcClientTls
{
    public required X509Certificate2Collection Roots { get; init; }

    /// <summary>Presented when the server asks for a client certificate (verify_incoming there).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>verify_server_hostname: the name the server's certificate must carry; null checks the chain only.</summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// With <see cref="ServerName"/> set: the name for a server in another datacenter, by its
    /// address (server.&lt;its dc&gt;.&lt;domain&gt;, as Consul's cross-datacenter RPC expects); null
    /// for one of this datacenter.
    /// </summary>
    public Func<string, string?>? ServerNameFor { get; init; }

    /// <summary>tls_min_version and up.</summary>
    public SslProtocols Protocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>tls_cipher_suites; null leaves the platform's choice.</summary>
    public CipherSuitesPolicy? CipherSuites { get; init; }

    public ILogger Log { get; init; } = NullLogger.Instance;

    /// <summary>Sets up a handler's TLS for a connection to <paramref name="address"/> ("ip:port").</summary>
    public void Apply(SocketsHttpHandler handler, string address) => handler.SslOptions = ClientOptions(address);

    /// <summary>Client TLS options for a connection to <paramref name="address"/> ("ip:port").</summary>
    public SslClientAuthenticationOptions ClientOptions(string address) => new()
    {
        EnabledSslProtocols = Protocols,
        CipherSuitesPolicy = CipherSuites,
        ClientCertificates = Certificate is null ? null : new X509CertificateCollection { Certificate },
        // The IP in the address is no name to check; the callback checks ServerName instead.
        RemoteCertificateValidationCallback = (_, cert, _, errors) => AcceptServer(address, cert, errors),
    };

    private bool AcceptServer(string address, X509Certificate? cert, SslPolicyErrors errors)
    {
        string? refusal;
        if (cert is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0) refusal = "it presented no certificate";
        else
        {
            using var presented = new X509Certificate2(cert);
            var name = ServerName is null ? null : ServerNameFor?.Invoke(address) ?? ServerName;
            refusal = CertificateChecks.Refusal(presented, Roots, CertificateChecks.ServerAuth, name);
        }
        if (refusal is null) return true;
        Log.LogError("refusing server {Address}: {Reason}", address, refusal);
        return false;
    }
}

/// <summary>Checks a peer certificate the way Go's x509.Verify does for Consul's RPC: chain to the configured CAs, key usage, name.</summary>
public static class CertificateChecks
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>Null when <paramref name="cert"/> chains to <paramref name="roots"/> (and is for <paramref name="name"/> if given); else why not.</summary>
    public static string? Refusal(X509Certificate2 cert, X509Certificate2Collection roots, Oid usage, string? name)
    {
        if (roots.Count == 0) return "no CA certificates are configured to verify it";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(usage);
        if (!chain.Build(cert))
        {
            var status = chain.ChainStatus.Select(s => s.Status).FirstOrDefault(s => s != X509ChainStatusFlags.NoError);
            return status switch
            {
                X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain =>
                    $"x509: certificate signed by unknown authority (subject \"{cert.Subject}\", issuer \"{cert.Issuer}\")",
                X509ChainStatusFlags.NotTimeValid => $"x509: certificate has expired or is not yet valid (subject \"{cert.Subject}\")",
                X509ChainStatusFlags.NotValidForUsage => $"x509: certificate specifies an incompatible key usage (subject \"{cert.Subject}\")",
                _ => $"x509: certificate not trusted: {string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))}",
            };
        }
        if (name is not null && !cert.MatchesHostname(name))
            return $"x509: certificate is valid for {string.Join(", ", DnsNames(cert))}, not {name}";
        return null;
    }

    private static IEnumerable<string> DnsNames(X509Certificate2 cert)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        return san is null ? [cert.GetNameInfo(X509NameType.SimpleName, false)] : san.EnumerateDnsNames();
    }
}
