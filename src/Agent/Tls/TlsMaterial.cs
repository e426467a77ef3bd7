using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Consul.Agent.Cli;
using Consul.Agent.Config;

namespace Consul.Agent.Tls;

/// <summary>
/// One listener's TLS material loaded from its tls{} stanza (tlsutil loadProtocolConfig): the
/// cert/key pair, the CAs from ca_file or ca_path, tls_min_version. Loading fails at startup
/// with Consul's messages ("Failed to load cert/key pair: ...", "VerifyIncoming set but no CA
/// certificates were provided", ...).
/// </summary>
public sealed class TlsMaterial
{
    public X509Certificate2? Certificate { get; private init; }
    public X509Certificate2Collection Roots { get; private init; } = [];
    public SslProtocols Protocols { get; private init; }
    public bool VerifyIncoming { get; private init; }
    public bool VerifyOutgoing { get; private init; }

    /// <summary>tls_cipher_suites for TLS 1.2 plus every TLS 1.3 suite (Go does not let TLS 1.3 suites be chosen); null: the platform's defaults.</summary>
    public CipherSuitesPolicy? CipherSuites { get; private init; }

    /// <exception cref="InvalidOperationException">A file is missing or unreadable, or a verify_* setting lacks what it needs.</exception>
    public static TlsMaterial Load(TlsProtocolConfig c)
    {
        var cert = LoadKeyPair(c.CertFile, c.KeyFile);
        var roots = LoadCas(c.CaFile, c.CaPath);
        if (c.VerifyIncoming)
        {
            if (roots.Count == 0) throw new InvalidOperationException("VerifyIncoming set but no CA certificates were provided");
            if (cert is null)
                throw new InvalidOperationException("VerifyIncoming requires either a Cert and Key pair in the configuration file, or auto_encrypt/auto_config be enabled");
        }
        if (c.VerifyOutgoing && roots.Count == 0) throw new InvalidOperationException("VerifyOutgoing set but no CA certificates were provided");
        return new TlsMaterial
        {
            Certificate = cert,
            Roots = roots,
            Protocols = ProtocolsFrom(c.TlsMinVersion),
            VerifyIncoming = c.VerifyIncoming,
            VerifyOutgoing = c.VerifyOutgoing,
            CipherSuites = CipherSuitesFrom(c.CipherSuites),
        };
    }

    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    /// <summary>Consul's suite names ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,...") are IANA's, as .NET's enum.</summary>
    private static CipherSuitesPolicy? CipherSuitesFrom(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0 || OperatingSystem.IsWindows()) return null;
        var suites = new List<TlsCipherSuite>();
        foreach (var name in names)
        {
            if (!name.StartsWith("TLS_", StringComparison.Ordinal) || !Enum.TryParse<TlsCipherSuite>(name, out var suite))
                throw new InvalidOperationException($"unsupported cipher suite: {name}");
            suites.Add(suite);
        }
        return new CipherSuitesPolicy([.. suites, .. Tls13Suites]);
    }

    /// <summary>tls_min_version and every newer version .NET offers (TLS_AUTO is TLS 1.2, as Consul).</summary>
    public static SslProtocols ProtocolsFrom(string minVersion)
    {
#pragma warning disable SYSLIB0039 // TLS 1.0/1.1 only when the operator asks for them, as Consul allows
        return minVersion switch
        {
            "TLSv1_0" => SslProtocols.Tls | SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
            "TLSv1_1" => SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13,
            "TLSv1_3" => SslProtocols.Tls13,
            _ => SslProtocols.Tls12 | SslProtocols.Tls13,
        };
#pragma warning restore SYSLIB0039
    }

    private static X509Certificate2? LoadKeyPair(string certFile, string keyFile)
    {
        if (certFile.Length == 0 || keyFile.Length == 0) return null;
        foreach (var f in new[] { certFile, keyFile })
        {
            try { _ = File.ReadAllBytes(f); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"Failed to load cert/key pair: {GoErrors.OpenError(f, e)}");
            }
        }
        try
        {
            using var pemCert = X509Certificate2.CreateFromPemFile(certFile, keyFile);
            // An ephemeral PEM key is not usable by every TLS stack; a PKCS#12 round trip gives a persisted one.
            return X509CertificateLoader.LoadPkcs12(pemCert.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"Failed to load cert/key pair: tls: {e.Message.TrimEnd('.')} ({certFile}, {keyFile})");
        }
        catch (ArgumentException)
        {
            throw new InvalidOperationException($"Failed to load cert/key pair: tls: failed to find any PEM data in certificate or key input ({certFile}, {keyFile})");
        }
    }

    private static X509Certificate2Collection LoadCas(string caFile, string caPath)
    {
        var roots = new X509Certificate2Collection();
        if (caFile.Length > 0) Import(roots, caFile);
        else if (caPath.Length > 0)
        {
            if (!Directory.Exists(caPath)) throw new InvalidOperationException($"lstat {caPath}: no such file or directory");
            foreach (var f in Directory.EnumerateFiles(caPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)) Import(roots, f);
            if (roots.Count == 0) throw new InvalidOperationException("Error loading from CAPath: no CAs found");
        }
        return roots;
    }

    private static void Import(X509Certificate2Collection roots, string path)
    {
        string pem;
        try { pem = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Error loading from {path}: {GoErrors.OpenError(path, e)}");
        }
        var before = roots.Count;
        try { roots.ImportFromPem(pem); }
        catch (CryptographicException) { throw new InvalidOperationException($"failed to parse PEM in {path}"); }
        if (roots.Count == before) throw new InvalidOperationException($"failed to parse PEM in {path}");
    }
}
