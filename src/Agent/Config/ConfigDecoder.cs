using System.Globalization;

namespace Consul.Agent.Config;

/// <summary>
/// Checks one parsed config document against <see cref="ConfigSchema"/> and rewrites it with
/// canonical key names. Type errors and unknown keys are reported with Consul's wording
/// (mapstructure's "'ports.http' expected type 'int', ..." and "invalid config key foo").
/// </summary>
internal sealed class ConfigDecoder
{
    private readonly List<string> _typeErrors = [];
    private readonly List<string> _unused = [];

    /// <summary>Keys Consul accepts but only warns about.</summary>
    private static readonly HashSet<string> DeprecatedRemovedKeys = ["acl_enforce_version_8"];

    public List<string> Warnings { get; } = [];

    /// <summary>Decodes <paramref name="raw"/> (a JSON/HCL object tree); throws with Consul's message on error.</summary>
    public static (Dictionary<string, object?> Tree, List<string> Warnings) Decode(string sourceName, Dictionary<string, object?> raw)
    {
        var d = new ConfigDecoder();
        var tree = d.DecodeObject("", raw, ConfigSchema.Root);
        if (d._typeErrors.Count > 0)
            throw new ConfigException($"failed to parse {sourceName}: {MultiError.FormatDecoding(d._typeErrors)}");
        var unused = new List<string>();
        foreach (var key in d._unused.Order(StringComparer.Ordinal))
        {
            if (DeprecatedRemovedKeys.Contains(key)) d.Warnings.Add($"config key \"{key}\" is deprecated and should be removed");
            else unused.Add($"invalid config key {key}");
        }
        if (unused.Count > 0)
            throw new ConfigException($"failed to parse {sourceName}: {MultiError.Format(unused)}");
        foreach (var key in DeprecatedRemovedKeys) tree.Remove(key);
        return (tree, d.Warnings);
    }

    private Dictionary<string, object?> DecodeObject(string path, Dictionary<string, object?> raw, ObjectNode schema)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in raw)
        {
            var keyPath = path.Length == 0 ? key : path + "." + key;
            if (!schema.TryResolve(key, out var name, out var node))
            {
                _unused.Add(keyPath);
                continue;
            }
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            var decoded = DecodeValue(fieldPath, value, node);
            if (decoded is not null) result[name] = decoded;
        }
        return result;
    }

    private object? DecodeValue(string path, object? value, SchemaNode node)
    {
        if (value is null) return null; // JSON null leaves the key unset, as in Go.
        if (node is AnyNode) return value;
        // Consul's HookWeakDecodeFromSlice: a one-element list stands for its element (HCL blocks).
        if (node is not ListNode && value is List<object?> { Count: 1 } single) value = single[0];
        if (value is null) return null;
        switch (node)
        {
            case ScalarNode s:
                return DecodeScalar(path, value, s);
            case ListNode l:
                if (value is not List<object?> items)
                {
                    _typeErrors.Add($"'{path}': source data must be an array or slice, got {GoKind(value)}");
                    return null;
                }
                var list = new List<object?>(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    var item = DecodeValue($"{path}[{i}]", items[i], l.Element);
                    if (item is not null) list.Add(item);
                }
                return list;
            case MapNode m:
                if (value is not Dictionary<string, object?> entries)
                {
                    _typeErrors.Add($"'{path}' expected a map, got '{GoKind(value)}'");
                    return null;
                }
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in entries)
                {
                    var item = DecodeValue($"{path}[{k}]", v, m.Value);
                    if (item is not null) map[k] = item;
                }
                return map;
            case ObjectNode o:
                if (value is not Dictionary<string, object?> fields)
                {
                    _typeErrors.Add($"'{path}' expected a map, got '{GoKind(value)}'");
                    return null;
                }
                return DecodeObject(path, fields, o);
            default:
                return value;
        }
    }

    private object? DecodeScalar(string path, object value, ScalarNode s)
    {
        switch (s.Kind)
        {
            case ScalarKind.String when value is string str:
                return str;
            case ScalarKind.Bool when value is bool b:
                return b;
            case ScalarKind.Int when value is double d:
                return (long)d; // mapstructure truncates floats into ints
            case ScalarKind.Uint when value is double d:
                if (d < 0)
                {
                    _typeErrors.Add($"cannot parse '{path}', {d.ToString("F6", CultureInfo.InvariantCulture)} overflows uint");
                    return null;
                }
                return (long)d;
            case ScalarKind.Float when value is double d:
                return d;
        }
        _typeErrors.Add($"'{path}' expected type '{s.GoType}', got unconvertible type '{GoType(value)}', value: '{GoValue(value)}'");
        return null;
    }

    internal static string GoType(object? v) => v switch
    {
        string => "string",
        double => "float64",
        bool => "bool",
        List<object?> => "[]interface {}",
        Dictionary<string, object?> => "map[string]interface {}",
        _ => "interface {}",
    };

    private static string GoKind(object? v) => v switch
    {
        string => "string",
        double => "float64",
        bool => "bool",
        List<object?> => "slice",
        Dictionary<string, object?> => "map",
        _ => "invalid",
    };

    /// <summary>Go's %v rendering of a decoded JSON value.</summary>
    internal static string GoValue(object? v) => v switch
    {
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        List<object?> l => "[" + string.Join(" ", l.Select(GoValue)) + "]",
        Dictionary<string, object?> m => "map[" + string.Join(" ", m.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + ":" + GoValue(kv.Value))) + "]",
        _ => v.ToString() ?? "",
    };
}
