using System.Net;
using System.Security.Cryptography.X509Certificates;
using Consul.Agent.Config;
using Consul.Core.Rpc;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Consul.Agent.Tls;

/// <summary>
/// Puts Kestrel listeners behind TLS as Consul's tlsutil does for incoming connections: the
/// listener's certificate, tls_min_version, and with verify_incoming a client certificate that
/// must chain to the configured CAs (tls.RequireAndVerifyClientCert). Every refused peer is
/// logged with the reason, since a failed handshake is otherwise invisible.
/// </summary>
public static class KestrelTls
{
    /// <summary>HTTPS on ports.https at the HTTPS addresses (addresses.https, else client_addr), serving the API and UI.</summary>
    /// <param name="connectionLimit">Connection middleware that runs before the handshake (limits.http_max_conns_per_client).</param>
    public static void ListenHttps(KestrelServerOptions k, AgentConfig config, TlsMaterial tls,
        Func<Microsoft.AspNetCore.Connections.ConnectionDelegate, Microsoft.AspNetCore.Connections.ConnectionDelegate>? connectionLimit = null)
    {
        var log = k.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("agent.http");
        foreach (var addr in config.HttpsListenAddrs)
            k.Listen(IPAddress.Parse(addr), config.Ports.Https, l =>
            {
                if (connectionLimit is not null) l.Use(connectionLimit);
                UseTls(l, tls, config.Limits.HttpsHandshakeTimeout, log);
            });
    }

    /// <summary>
    /// Startup check of all TLS settings, and the HTTPS listener's material: its files load, and
    /// it has a certificate to serve (Consul would only fail each handshake).
    /// </summary>
    /// <exception cref="InvalidOperationException">With Consul's text where it has one.</exception>
    public static TlsMaterial? LoadHttps(AgentConfig config)
    {
        // Consul loads every stanza at start (tlsutil.NewConfigurator), so any bad file stops the agent here.
        foreach (var stanza in new[] { config.Tls.InternalRpc, config.Tls.Grpc }) TlsMaterial.Load(stanza);
        var tls = TlsMaterial.Load(config.Tls.Https);
        if (config.Ports.Https <= 0) return null;
        if (tls.Certificate is null)
            throw new InvalidOperationException($"HTTPS port {config.Ports.Https} requires tls.https (or tls.defaults) cert_file and key_file");
        return tls;
    }

    /// <summary>TLS on one listener; with verify_incoming, peers without a certificate from the configured CAs are refused and logged.</summary>
    public static void UseTls(ListenOptions listen, TlsMaterial tls, TimeSpan handshakeTimeout, ILogger log)
    {
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = tls.Certificate,
            SslProtocols = tls.Protocols,
            HandshakeTimeout = handshakeTimeout > TimeSpan.Zero ? handshakeTimeout : TimeSpan.FromSeconds(5),
            // Allow, then refuse a missing certificate below: Kestrel drops a missing required one without a word.
            ClientCertificateMode = tls.VerifyIncoming ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.NoCertificate,
            ClientCertificateValidation = (cert, _, _) => AcceptClient(cert, tls.Roots, log),
            OnAuthenticate = (_, ssl) => ssl.CipherSuitesPolicy = tls.CipherSuites,
        });
        if (!tls.VerifyIncoming) return;
        listen.Use(next => async connection =>
        {
            if (connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is null)
            {
                log.LogError("TLS handshake error from {Remote}: tls: client didn't provide a certificate", connection.RemoteEndPoint);
                connection.Abort(new ConnectionAbortedException("client didn't provide a certificate"));
                return;
            }
            await next(connection);
        });
    }

    private static bool AcceptClient(X509Certificate2 cert, X509Certificate2Collection roots, ILogger log)
    {
        var refusal = CertificateChecks.Refusal(cert, roots, CertificateChecks.ClientAuth, null);
        if (refusal is null) return true;
        log.LogError("TLS handshake error: refusing client certificate \"{Subject}\": {Reason}", cert.Subject, refusal);
        return false;
    }
}
