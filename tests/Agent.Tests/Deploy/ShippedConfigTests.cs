using Consul.Tests.EndToEnd;

namespace Consul.Tests.Deploy;

/// <summary>
/// The agent configuration shipped in the deployment files is accepted by the real
/// `consul validate` (an unknown key or a bad value would stop the agent at start-up).
/// </summary>
public sealed class ShippedConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deploy-config-").FullName;

    /// <summary>Validates the JSON together with what the flags supply in the real deployment.</summary>
    private async Task<CliResult> ValidateAsync(string json)
    {
        var config = Path.Combine(_dir, "shipped.json");
        File.WriteAllText(config, json);
        // Flags give the bind address and the entrypoint gives -data-dir; validate needs both.
        var flags = Path.Combine(_dir, "zz-flags.json");
        File.WriteAllText(flags, $$"""{"bind_addr": "127.0.0.1", "data_dir": "{{Path.Combine(_dir, "data")}}"}""");
        return await ConsulExe.RunAsync(["validate", config, flags], timeoutSeconds: 60);
    }

    [Fact(Timeout = 90_000)]
    public async Task ConfigMapServerJsonIsValid()
    {
        var config = DeployFiles.KubernetesManifests().Single(m => m.Doc!["kind"]!.ToString() == "ConfigMap").Doc!;
        var json = config["data"]!["server.json"]!.ToString();
        var r = await ValidateAsync(json);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("Configuration is valid!", r.Stdout);
    }

    [Fact(Timeout = 90_000)]
    public async Task ComposeLocalConfigIsValid()
    {
        var json = DeployFiles.ComposeFile()["services"]!["consul-server1"]!["environment"]!["CONSUL_LOCAL_CONFIG"]!.ToString();
        var r = await ValidateAsync(json);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
    }

    [Fact(Timeout = 90_000)]
    public async Task UnknownKeyIsRejected()
    {
        var r = await ValidateAsync("""{"datacenter": "dc1", "bootstrap_expected": 3}""");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("invalid config key bootstrap_expected", r.Stdout + r.Stderr);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
