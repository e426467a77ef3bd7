using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>
/// Reads the repository's deployment files. YAML goes through python3's PyYAML
/// (Debian package python3-yaml) into JSON, so the checks work on System.Text.Json nodes.
/// </summary>
public static class DeployFiles
{
    // Reads the YAML files named as arguments; prints {"file": [documents...], ...} as JSON.
    private const string Converter =
        "import json, sys, yaml; json.dump({f: list(yaml.safe_load_all(open(f))) for f in sys.argv[1:]}, sys.stdout)";

    // One python3 run per file set for the whole test run (python start-up is slow on a busy
    // machine); every caller gets freshly parsed nodes it may change.
    private static readonly Lazy<string> KubernetesJson = new(() => ConvertToJson(
        Directory.GetFiles(Path.Combine(RepoRoot(), "deploy", "kubernetes"), "*.yaml").Order(StringComparer.Ordinal).ToArray()));
    private static readonly Lazy<string> ComposeJson = new(() => ConvertToJson(Path.Combine(RepoRoot(), "docker-compose.yml")));

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Consul.Web.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }

    private static string ConvertToJson(params string[] files)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Converter);
        foreach (var f in files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException("python3 YAML conversion did not finish in 30s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"YAML conversion failed (is python3-yaml installed?): {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>All documents of deploy/kubernetes/*.yaml, with the file each came from.</summary>
    public static List<(string File, JsonNode? Doc)> KubernetesManifests() =>
        JsonNode.Parse(KubernetesJson.Value)!.AsObject()
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .SelectMany(kv => kv.Value!.AsArray().Select(doc => (Path.GetFileName(kv.Key), doc?.DeepClone())))
            .ToList();

    public static JsonNode ComposeFile()
    {
        var docs = JsonNode.Parse(ComposeJson.Value)!.AsObject().Single().Value!.AsArray();
        Assert.Single(docs);
        return docs[0]!.DeepClone();
    }
}
