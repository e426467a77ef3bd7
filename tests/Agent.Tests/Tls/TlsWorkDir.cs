using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Tls;

/// <summary>
/// A temp directory where `consul tls ...` runs (it writes into its working directory, as
/// Consul's does) and where the agents' TLS config files live. Removed on disposal.
/// </summary>
public sealed class TlsWorkDir : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("consul-tls-").FullName;

    public string this[string file] => Path.Combine(Root, file);

    /// <summary>Runs the real `consul` in <paramref name="subdir"/> (bounded) and returns exit code and output.</summary>
    public async Task<CliResult> Consul(string subdir, params string[] args)
    {
        var psi = ConsulExe.StartInfo(args);
        psi.WorkingDirectory = Directory.CreateDirectory(Path.Combine(Root, subdir)).FullName;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"consul {string.Join(' ', args)} did not finish in 30s");
        }
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a `consul tls` command that must succeed.</summary>
    public async Task<string> ConsulOk(string subdir, params string[] args)
    {
        var r = await Consul(subdir, args);
        Assert.True(r.ExitCode == 0, $"consul {string.Join(' ', args)} exited {r.ExitCode}: {r.Stderr}{r.Stdout}");
        return r.Stdout;
    }

    public string Write(string file, string content)
    {
        File.WriteAllText(this[file], content);
        return this[file];
    }

    /// <summary>An HttpClient trusting only <paramref name="caFile"/>, optionally presenting a client certificate.</summary>
    public static HttpClient HttpsClient(string caFile, string? certFile = null, string? keyFile = null,
        System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None, TlsCipherSuite[]? suites = null)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = protocols,
            CipherSuitesPolicy = suites is null ? null : new CipherSuitesPolicy(suites),
            RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(cert));
            },
        };
        if (certFile is not null && keyFile is not null)
            ssl.ClientCertificates = new X509CertificateCollection { X509Certificate2.CreateFromPemFile(certFile, keyFile) };
        return new HttpClient(new SocketsHttpHandler { SslOptions = ssl, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Polls until <paramref name="condition"/> holds or fails with <paramref name="what"/> and the given output.</summary>
    public static async Task WaitUntil(string what, TimeSpan timeout, Func<Task<bool>> condition, Func<string> output)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out after {timeout} waiting for: {what}\n{output()}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
