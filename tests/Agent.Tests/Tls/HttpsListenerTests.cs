using System.Net.Sockets;
using System.Security.Authentication;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Tls;

/// <summary>
/// A real `consul agent -dev` serving the API and UI over HTTPS on ports.https with the
/// certificates `consul tls` made, plain HTTP off; with and without verify_incoming.
/// </summary>
[Collection(TlsProcesses.Name)]
public sealed class HttpsListenerTests : IAsyncLifetime
{
    private readonly TlsWorkDir _dir = new();

    public async Task InitializeAsync()
    {
        await _dir.ConsulOk("", "tls", "ca", "create");
        await _dir.ConsulOk("", "tls", "cert", "create", "-server", "-additional-ipaddress=127.0.0.40", "-additional-ipaddress=127.0.0.41");
        await _dir.ConsulOk("", "tls", "cert", "create", "-cli");
        Directory.CreateDirectory(_dir["other"]);
        await _dir.ConsulOk("other", "tls", "ca", "create");
        await _dir.ConsulOk("other", "tls", "cert", "create", "-cli");
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private string Config(string name, bool verifyIncoming, string minVersion = "TLSv1_2", string cipherSuites = "") => _dir.Write(name, $$"""
        ports { http = -1, https = 8501 }
        tls {
          defaults { ca_file = "{{_dir["consul-agent-ca.pem"]}}", cert_file = "{{_dir["dc1-server-consul-0.pem"]}}", key_file = "{{_dir["dc1-server-consul-0-key.pem"]}}" }
          https { verify_incoming = {{(verifyIncoming ? "true" : "false")}}, tls_min_version = "{{minVersion}}", tls_cipher_suites = "{{cipherSuites}}" }
        }
        """);

    private static async Task<AgentProcess> StartAsync(string address, string configFile, HttpClient probe)
    {
        var agent = AgentProcess.Start(address, ["agent", "-dev", $"-bind={address}", $"-client={address}", $"-config-file={configFile}"]);
        await TlsWorkDir.WaitUntil("the HTTPS API to answer with a leader", TimeSpan.FromSeconds(30), async () =>
        {
            if (agent.HasExited) throw new InvalidOperationException("agent exited:\n" + agent.Output);
            return (await probe.GetStringAsync($"https://{address}:8501/v1/status/leader")).Trim('"', '\n').Length > 0;
        }, () => agent.Output);
        return agent;
    }

    [Fact(Timeout = 60_000)]
    public async Task Api_and_ui_over_https_without_client_certificates()
    {
        using var https = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"]);
        await using var agent = await StartAsync("127.0.0.40",
            Config("plain.hcl", verifyIncoming: false, cipherSuites: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), https);

        using var self = await https.GetAsync("https://127.0.0.40:8501/v1/agent/self");
        Assert.Equal(200, (int)self.StatusCode);
        using var ui = await https.GetAsync("https://127.0.0.40:8501/ui/");
        Assert.Equal(200, (int)ui.StatusCode);
        Assert.Contains("text/html", ui.Content.Headers.ContentType?.ToString());

        // tls_cipher_suites: a TLS 1.2 client offering only another suite gets no connection; one offering the listed suite does.
        using var otherSuite = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"], protocols: SslProtocols.Tls12,
            suites: [System.Net.Security.TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => otherSuite.GetAsync("https://127.0.0.40:8501/v1/agent/self"));
        using var listedSuite = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"], protocols: SslProtocols.Tls12,
            suites: [System.Net.Security.TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384]);
        using (var listed = await listedSuite.GetAsync("https://127.0.0.40:8501/v1/agent/self")) Assert.Equal(200, (int)listed.StatusCode);

        // ports.http = -1: nothing listens on 8500.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync("http://127.0.0.40:8500/v1/agent/self"));
        Assert.Equal(SocketError.ConnectionRefused, (refused.InnerException as SocketException)?.SocketErrorCode);

        // A client that does not trust this CA refuses the server.
        using var system = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => system.GetAsync("https://127.0.0.40:8501/v1/agent/self"));

        // The CLI over HTTPS with -ca-file; the certificate names 127.0.0.40.
        var members = await _dir.Consul("", "members", "-http-addr=https://127.0.0.40:8501", $"-ca-file={_dir["consul-agent-ca.pem"]}");
        Assert.True(members.ExitCode == 0, members.Stderr);
        Assert.Contains("127.0.0.40:8301", members.Stdout);
    }

    [Fact(Timeout = 60_000)]
    public async Task Verify_incoming_requires_a_client_certificate_from_the_ca()
    {
        using var withCert = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"], _dir["dc1-cli-consul-0.pem"], _dir["dc1-cli-consul-0-key.pem"]);
        await using var agent = await StartAsync("127.0.0.41", Config("verify.hcl", verifyIncoming: true, minVersion: "TLSv1_3"), withCert);

        using var ok = await withCert.GetAsync("https://127.0.0.41:8501/v1/agent/self");
        Assert.Equal(200, (int)ok.StatusCode);

        using var noCert = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"]);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => noCert.GetAsync("https://127.0.0.41:8501/v1/agent/self"));
        await TlsWorkDir.WaitUntil("the refusal of a client without a certificate in the log", TimeSpan.FromSeconds(10),
            () => Task.FromResult(agent.Output.Contains("[ERROR] agent.http: TLS handshake error from 127.0.0.", StringComparison.Ordinal)
                && agent.Output.Contains("tls: client didn't provide a certificate", StringComparison.Ordinal)), () => agent.Output);

        using var otherCa = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"], _dir["other/dc1-cli-consul-0.pem"], _dir["other/dc1-cli-consul-0-key.pem"]);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => otherCa.GetAsync("https://127.0.0.41:8501/v1/agent/self"));
        await TlsWorkDir.WaitUntil("the refusal of a certificate from another CA in the log", TimeSpan.FromSeconds(10),
            () => Task.FromResult(agent.Output.Contains("refusing client certificate \"CN=cli.dc1.consul\": x509: certificate signed by unknown authority",
                StringComparison.Ordinal)), () => agent.Output);

        // tls_min_version = TLSv1_3: a TLS 1.2 client gets no connection.
        using var tls12 = TlsWorkDir.HttpsClient(_dir["consul-agent-ca.pem"], _dir["dc1-cli-consul-0.pem"], _dir["dc1-cli-consul-0-key.pem"], SslProtocols.Tls12);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => tls12.GetAsync("https://127.0.0.41:8501/v1/agent/self"));

        // The CLI's TLS settings from the environment, as CONSUL_HTTP_SSL and friends.
        var env = new Dictionary<string, string>
        {
            ["CONSUL_HTTP_ADDR"] = "127.0.0.41:8501", ["CONSUL_HTTP_SSL"] = "true", ["CONSUL_CACERT"] = _dir["consul-agent-ca.pem"],
            ["CONSUL_CLIENT_CERT"] = _dir["dc1-cli-consul-0.pem"], ["CONSUL_CLIENT_KEY"] = _dir["dc1-cli-consul-0-key.pem"],
        };
        var withEnv = await ConsulExe.RunAsync(["kv", "put", "tls/key", "v"], env);
        Assert.Equal((0, "Success! Data written to: tls/key\n"), (withEnv.ExitCode, withEnv.Stdout));
        var withFlags = await ConsulExe.RunAsync(["kv", "get", "-http-addr=https://127.0.0.41:8501", $"-ca-file={_dir["consul-agent-ca.pem"]}",
            $"-client-cert={_dir["dc1-cli-consul-0.pem"]}", $"-client-key={_dir["dc1-cli-consul-0-key.pem"]}", "-tls-server-name=server.dc1.consul", "tls/key"]);
        Assert.Equal((0, "v\n"), (withFlags.ExitCode, withFlags.Stdout));
        var withoutCert = await ConsulExe.RunAsync(["kv", "get", "-http-addr=https://127.0.0.41:8501", $"-ca-file={_dir["consul-agent-ca.pem"]}", "tls/key"]);
        Assert.NotEqual(0, withoutCert.ExitCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task Missing_or_unusable_tls_files_stop_the_agent_with_consuls_message()
    {
        var missing = _dir.Write("missing.hcl", $$"""
            ports { https = 8501 }
            tls { https { cert_file = "{{_dir["nope.pem"]}}", key_file = "{{_dir["dc1-server-consul-0-key.pem"]}}" } }
            """);
        var r1 = await ConsulExe.RunAsync(["agent", "-dev", "-bind=127.0.0.40", "-client=127.0.0.40", $"-config-file={missing}"]);
        Assert.Equal(1, r1.ExitCode);
        Assert.Contains($"==> Error starting agent: Failed to load cert/key pair: open {_dir["nope.pem"]}: no such file or directory", r1.Stderr);

        var noCa = _dir.Write("noca.hcl", $$"""
            ports { https = 8501 }
            tls { https { cert_file = "{{_dir["dc1-server-consul-0.pem"]}}", key_file = "{{_dir["dc1-server-consul-0-key.pem"]}}", verify_incoming = true } }
            """);
        var r2 = await ConsulExe.RunAsync(["agent", "-dev", "-bind=127.0.0.40", "-client=127.0.0.40", $"-config-file={noCa}"]);
        Assert.Equal(1, r2.ExitCode);
        Assert.Contains("==> Error starting agent: VerifyIncoming set but no CA certificates were provided", r2.Stderr);

        var notPem = _dir.Write("notpem.hcl", $$"""
            ports { https = 8501 }
            tls { https { cert_file = "{{_dir["notpem.hcl"]}}", key_file = "{{_dir["dc1-server-consul-0-key.pem"]}}" } }
            """);
        var r3 = await ConsulExe.RunAsync(["agent", "-dev", "-bind=127.0.0.40", "-client=127.0.0.40", $"-config-file={notPem}"]);
        Assert.Equal(1, r3.ExitCode);
        Assert.Contains("==> Error starting agent: Failed to load cert/key pair: tls: ", r3.Stderr);

        var noCaOut = _dir.Write("nocaout.hcl", """tls { internal_rpc { verify_outgoing = true } }""");
        var r4 = await ConsulExe.RunAsync(["agent", "-dev", "-bind=127.0.0.40", "-client=127.0.0.40", $"-config-file={noCaOut}"]);
        Assert.Equal(1, r4.ExitCode);
        Assert.Contains("==> Error starting agent: VerifyOutgoing set but no CA certificates were provided", r4.Stderr);

        var badSuite = _dir.Write("badsuite.hcl", """tls { defaults { tls_cipher_suites = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_NOPE" } }""");
        var r5 = await ConsulExe.RunAsync(["agent", "-dev", "-bind=127.0.0.40", "-client=127.0.0.40", $"-config-file={badSuite}"]);
        Assert.Equal(1, r5.ExitCode);
        Assert.Contains("==> Error starting agent: unsupported cipher suite: TLS_NOPE", r5.Stderr);
    }
}
