using System.Formats.Asn1;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consul.Core.Rpc;

namespace Consul.Agent.Tls;

/// <summary>What `consul tls ca create` puts in the CA (tlsutil.CAOpts).</summary>
public sealed record CaOptions
{
    /// <summary>Common name; empty means "Consul Agent CA &lt;serial&gt;".</summary>
    public string Name { get; init; } = "";
    public int Days { get; init; } = 1825;
    public string Domain { get; init; } = "consul";
    /// <summary>DNS domains the CA may sign for (critical name constraints); empty means unconstrained.</summary>
    public IReadOnlyList<string> PermittedDnsDomains { get; init; } = [];
    /// <summary>When set, the CA carries the SPIFFE signing URI spiffe://&lt;cluster-id&gt;.&lt;domain&gt;.</summary>
    public string ClusterId { get; init; } = "";
}

/// <summary>What `consul tls cert create` puts in a leaf certificate (tlsutil.CertOpts).</summary>
public sealed record CertOptions
{
    public required string Name { get; init; }
    public int Days { get; init; } = 365;
    public IReadOnlyList<string> DnsNames { get; init; } = [];
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];
    /// <summary>Extended key usages (server/client auth); empty leaves the extension out (a -cli certificate).</summary>
    public IReadOnlyList<Oid> ExtKeyUsage { get; init; } = [];
}

/// <summary>
/// Consul's agent CA and certificates (tlsutil/generate.go) with System.Security.Cryptography:
/// ECDSA P-256 keys written as "EC PRIVATE KEY" PEM, 128-bit random serials, subject key ids
/// that are the SHA-256 of the public key, the CA's subject as Consul writes it.
/// </summary>
public static class AgentCertificates
{
    private static readonly Oid PostalCode = new("2.5.4.17");
    private static readonly Oid StreetAddress = new("2.5.4.9");
    private const string NameConstraintsOid = "2.5.29.30";

    /// <summary>A new self-signed CA: (certificate PEM, private key PEM).</summary>
    public static (string CertPem, string KeyPem) CreateCa(CaOptions opts, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serial = NewSerial();
        var name = opts.Name.Length > 0 ? opts.Name : $"Consul Agent CA {new BigInteger(serial, isUnsigned: true, isBigEndian: true)}";
        // The builder encodes the last added first: this gives Go's pkix.Name order C, O, L, ST, street, postalCode, CN.
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.Add(PostalCode, "94105");
        subject.Add(StreetAddress, "101 Second Street");
        subject.AddStateOrProvinceName("CA");
        subject.AddLocalityName("San Francisco");
        subject.AddOrganizationName("HashiCorp Inc.");
        subject.AddCountryOrRegion("US");
        var dn = subject.Build();

        var req = new CertificateRequest(dn, key, HashAlgorithmName.SHA256);
        var keyId = KeyId(key);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(keyId, critical: false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(keyId));
        if (opts.ClusterId.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri($"spiffe://{opts.ClusterId}.{opts.Domain}"));
            req.CertificateExtensions.Add(san.Build());
        }
        if (opts.PermittedDnsDomains.Count > 0)
            req.CertificateExtensions.Add(new X509Extension(NameConstraintsOid, PermittedDns(opts.PermittedDnsDomains), critical: true));

        using var cert = req.Create(dn, X509SignatureGenerator.CreateForECDsa(key), now, now.AddDays(opts.Days), serial);
        return (cert.ExportCertificatePem() + "\n", key.ExportECPrivateKeyPem() + "\n");
    }

    /// <summary>A new key and a certificate for it signed by the CA: (certificate PEM, private key PEM).</summary>
    /// <exception cref="CryptographicException">The CA certificate or key cannot be parsed.</exception>
    public static (string CertPem, string KeyPem) CreateCert(CertOptions opts, string caPem, string caKeyPem, DateTimeOffset now)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(caKeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var req = new CertificateRequest(new X500DistinguishedName("CN=" + opts.Name), key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        if (opts.ExtKeyUsage.Count > 0)
        {
            var usages = new OidCollection();
            foreach (var u in opts.ExtKeyUsage) usages.Add(u);
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(KeyId(key), critical: false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (opts.DnsNames.Count > 0 || opts.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var d in opts.DnsNames) san.AddDnsName(d);
            foreach (var ip in opts.IpAddresses) san.AddIpAddress(ip);
            req.CertificateExtensions.Add(san.Build());
        }

        using var cert = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now, now.AddDays(opts.Days), NewSerial());
        return (cert.ExportCertificatePem() + "\n", key.ExportECPrivateKeyPem() + "\n");
    }

    /// <summary>tlsutil.Verify: null when the certificate chains to the CA and is valid for <paramref name="name"/>, else Go's kind of reason.</summary>
    public static string? Verify(string caPem, string certPem, string name)
    {
        var roots = new X509Certificate2Collection();
        try { roots.ImportFromPem(caPem); }
        catch (CryptographicException) { return "failed to parse root certificate"; }
        if (roots.Count == 0) return "failed to parse root certificate";
        using var cert = X509Certificate2.CreateFromPem(certPem);
        return CertificateChecks.Refusal(cert, roots, CertificateChecks.ServerAuth, name);
    }

    /// <summary>A positive 128-bit serial number from the OS CSPRNG (crypto/rand).</summary>
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        if (serial[0] == 0) serial[0] = 1;
        return serial;
    }

    /// <summary>Consul's key id: SHA-256 of the DER public key (not RFC 5280's SHA-1 method).</summary>
    private static byte[] KeyId(ECDsa key) => SHA256.HashData(key.ExportSubjectPublicKeyInfo());

    /// <summary>NameConstraints with permitted dNSName subtrees (RFC 5280 4.2.1.10); .NET has no builder for it.</summary>
    private static byte[] PermittedDns(IEnumerable<string> domains)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        {
            foreach (var d in domains)
                using (w.PushSequence())
                    w.WriteCharacterString(UniversalTagNumber.IA5String, d, new Asn1Tag(TagClass.ContextSpecific, 2));
        }
        return w.Encode();
    }
}
