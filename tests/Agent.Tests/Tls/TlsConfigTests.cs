using Consul.Agent.Tls;
using Consul.Tests.Config;

namespace Consul.Tests.Tls;

/// <summary>The legacy top-level TLS keys land in tls{} as Consul's applyDeprecatedTLSConfig puts them.</summary>
public sealed class TlsConfigTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Legacy_top_level_keys_map_into_the_tls_stanzas()
    {
        var path = _f.Write("legacy.json", """
            { "ca_file": "/ca.pem", "cert_file": "/c.pem", "key_file": "/k.pem", "verify_incoming": true, "verify_outgoing": true,
              "verify_server_hostname": true, "tls_min_version": "tls13", "tls_prefer_server_cipher_suites": true }
            """);
        var cfg = _f.Load("-bind=127.0.0.2", "-config-file=" + path);
        foreach (var p in new[] { cfg.Tls.InternalRpc, cfg.Tls.Https, cfg.Tls.Grpc })
            Assert.Equal(("/ca.pem", "/c.pem", "/k.pem", "TLSv1_3"), (p.CaFile, p.CertFile, p.KeyFile, p.TlsMinVersion));
        Assert.True(cfg.Tls.InternalRpc.VerifyIncoming);
        Assert.True(cfg.Tls.Https.VerifyIncoming);
        // Before Consul 1.12 the gRPC port never asked for client certificates.
        Assert.False(cfg.Tls.Grpc.VerifyIncoming);
        Assert.True(cfg.Tls.InternalRpc.VerifyOutgoing);
        Assert.True(cfg.Tls.VerifyServerHostname);
        Assert.Contains("The 'verify_server_hostname' field is deprecated. Use the 'tls.internal_rpc.verify_server_hostname' field instead.", cfg.Warnings);
        Assert.Contains("'tls_min_version' value 'tls13' is deprecated, please specify 'TLSv1_3' instead", cfg.Warnings);
        Assert.Contains("The 'tls_prefer_server_cipher_suites' field is deprecated and will be ignored.", cfg.Warnings);
    }

    [Fact]
    public void A_current_key_in_the_same_file_wins_over_the_legacy_one()
    {
        var path = _f.Write("both.json", """{ "ca_file": "/old.pem", "verify_incoming": true, "tls": { "defaults": { "ca_file": "/new.pem" }, "grpc": { "verify_incoming": true } } }""");
        var cfg = _f.Load("-bind=127.0.0.2", "-config-file=" + path);
        Assert.Equal("/new.pem", cfg.Tls.Https.CaFile);
        Assert.True(cfg.Tls.Grpc.VerifyIncoming);
    }

    [Fact]
    public void Banner_lines_show_the_tls_settings()
    {
        var path = _f.Write("banner.json", """{ "tls": { "defaults": { "verify_incoming": true }, "internal_rpc": { "verify_outgoing": true, "verify_server_hostname": true } } }""");
        var cfg = _f.Load("-bind=127.0.0.2", "-config-file=" + path);
        Assert.Equal("Verify Incoming: true, Verify Outgoing: false, Min Version: TLSv1_2", TlsBannerLines.Https(cfg));
        Assert.Equal("Verify Incoming: true, Verify Outgoing: true (Verify Hostname: true), Min Version: TLSv1_2", TlsBannerLines.InternalRpc(cfg));
    }
}
