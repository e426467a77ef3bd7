namespace Consul.Agent.Config;

/// <summary>Read access to a merged, decoded config tree by dotted key path ("ports.http").</summary>
internal sealed class ConfigTree(Dictionary<string, object?> root)
{
    public Dictionary<string, object?> Root { get; } = root;

    public object? Get(string path)
    {
        object? current = Root;
        foreach (var part in path.Split('.'))
        {
            if (current is not Dictionary<string, object?> d || !d.TryGetValue(part, out current)) return null;
        }
        return current;
    }

    public bool Has(string path) => Get(path) is not null;

    public string? Str(string path) => Get(path) as string;

    public string Str(string path, string fallback) => Get(path) as string ?? fallback;

    public bool? Bool(string path) => Get(path) as bool?;

    public bool Bool(string path, bool fallback) => Get(path) as bool? ?? fallback;

    public long? Int(string path) => Get(path) as long?;

    public int Int(string path, int fallback) => Get(path) is long l ? (int)Math.Clamp(l, int.MinValue, int.MaxValue) : fallback;

    public double? Float(string path) => Get(path) as double?;

    public IReadOnlyList<string> Strings(string path) =>
        Get(path) is List<object?> l ? l.OfType<string>().ToList() : [];

    public IReadOnlyList<Dictionary<string, object?>> Objects(string path) =>
        Get(path) is List<object?> l ? l.OfType<Dictionary<string, object?>>().ToList() : [];

    public Dictionary<string, string> StringMap(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(path) is Dictionary<string, object?> d)
            foreach (var (k, v) in d)
                if (v is string s) result[k] = s;
        return result;
    }

    public void Set(string path, object? value)
    {
        var parts = path.Split('.');
        var d = Root;
        foreach (var part in parts[..^1])
        {
            if (!d.TryGetValue(part, out var next) || next is not Dictionary<string, object?> child)
            {
                child = new Dictionary<string, object?>(StringComparer.Ordinal);
                d[part] = child;
            }
            d = child;
        }
        d[parts[^1]] = value;
    }

    public bool Remove(string path)
    {
        var parts = path.Split('.');
        object? current = Root;
        foreach (var part in parts[..^1])
            if (current is not Dictionary<string, object?> d || !d.TryGetValue(part, out current)) return false;
        return current is Dictionary<string, object?> parent && parent.Remove(parts[^1]);
    }
}
