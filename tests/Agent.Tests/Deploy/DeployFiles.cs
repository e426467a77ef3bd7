using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>
/// Reads the repository's deployment files. YAML goes through python3's PyYAML
/// (Debian package python3-yaml) into JSON, so the checks work on System.Text.Json nodes.
/// </summary>
public static class DeployFiles
{
    private const string Converter =
        "import json, sys, yaml; json.dump(list(yaml.safe_load_all(sys.stdin)), sys.stdout)";

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Consul.Web.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }

    /// <summary>Every YAML document in the text, as JSON (null for an empty document).</summary>
    public static List<JsonNode?> YamlDocuments(string yaml)
    {
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Converter);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(yaml);
        p.StandardInput.Close();
        if (!p.WaitForExit(30_000))
        {
            p.Kill();
            throw new TimeoutException("python3 YAML conversion did not finish in 30s");
        }
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"YAML conversion failed (is python3-yaml installed?): {stderr.Result}");
        return JsonNode.Parse(stdout.Result)!.AsArray().ToList();
    }

    /// <summary>All documents of deploy/kubernetes/*.yaml, with the file each came from.</summary>
    public static List<(string File, JsonNode? Doc)> KubernetesManifests()
    {
        var dir = Path.Combine(RepoRoot(), "deploy", "kubernetes");
        var all = new List<(string, JsonNode?)>();
        foreach (var file in Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
            foreach (var doc in YamlDocuments(File.ReadAllText(file)))
                all.Add((Path.GetFileName(file), doc));
        return all;
    }

    public static JsonNode ComposeFile()
    {
        var docs = YamlDocuments(File.ReadAllText(Path.Combine(RepoRoot(), "docker-compose.yml")));
        Assert.Single(docs);
        return docs[0]!;
    }
}
