using System.Text.RegularExpressions;

namespace Consul.Agent.Config;

/// <summary>Consul's node/service metadata limits (structs.ValidateNodeMetadata).</summary>
internal static partial class MetadataRules
{
    private const int MaxPairs = 64;
    private const int MaxKeyLength = 128;
    private const int MaxValueLength = 512;

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex KeyFormat();

    public static string? Validate(IReadOnlyDictionary<string, string> meta, bool allowConsulPrefix)
    {
        if (meta.Count > MaxPairs) return $"Node metadata cannot contain more than {MaxPairs} key/value pairs";
        foreach (var (key, value) in meta.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key.Length == 0) return "Key cannot be blank";
            if (!KeyFormat().IsMatch(key)) return "Key contains invalid characters";
            if (key.Length > MaxKeyLength) return $"Key is too long (limit: {MaxKeyLength} characters)";
            if (!allowConsulPrefix && key.StartsWith("consul-", StringComparison.Ordinal))
                return $"Key prefix 'consul-' is reserved for internal use";
            if (value.Length > MaxValueLength) return $"Value is too long (limit: {MaxValueLength} characters)";
        }
        return null;
    }
}
