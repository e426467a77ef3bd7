namespace Consul.Agent.Config;

/// <summary>
/// Reads -config-file / -config-dir paths like Consul's builder.sourcesFromPath: a file must
/// end in .json or .hcl (unless -config-format is set); a directory contributes its .json and
/// .hcl files in name order, skipping sub-directories and other files with a warning.
/// </summary>
internal static class ConfigSourceReader
{
    public sealed record Source(string Name, string Format, string Text);

    public static List<Source> Read(string path, string format, List<string> warnings)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ConfigException($"config: Open failed on {path}. open {path}: no such file or directory");
        if (!Directory.Exists(path))
        {
            if (!ShouldParse(path, format))
                throw new ConfigException($"file {path} has unknown extension; must be .hcl or .json, or config format must be set");
            return [FromFile(path, format)];
        }
        var sources = new List<Source>();
        // Consul sorts by byte-wise name.
        foreach (var entry in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
        {
            var full = entry;
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null || !target.Exists && !Directory.Exists(target.FullName)) continue;
                full = target.FullName;
            }
            if (Directory.Exists(full)) continue;
            if (!ShouldParse(full, format))
            {
                warnings.Add($"skipping file {full}, extension must be .hcl or .json, or config format must be set");
                continue;
            }
            sources.Add(FromFile(full, format));
        }
        return sources;
    }

    private static Source FromFile(string path, string format)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"config: failed to read {path}: {e.Message}");
        }
        return new Source(path, format.Length > 0 ? format : FormatOf(path), text);
    }

    private static bool ShouldParse(string path, string format) => format.Length > 0 || FormatOf(path).Length > 0;

    private static string FormatOf(string name) =>
        name.EndsWith(".json", StringComparison.Ordinal) ? "json" :
        name.EndsWith(".hcl", StringComparison.Ordinal) ? "hcl" : "";
}
