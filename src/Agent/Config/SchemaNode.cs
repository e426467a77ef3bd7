namespace Consul.Agent.Config;

/// <summary>Scalar kinds a config key can hold; the names are the Go types Consul reports in errors.</summary>
internal enum ScalarKind { String, Int, Uint, Bool, Float }

/// <summary>Shape of one config key, used to reject unknown keys and wrong types like Consul's decoder.</summary>
internal abstract record SchemaNode;

internal sealed record ScalarNode(ScalarKind Kind) : SchemaNode
{
    public string GoType => Kind switch
    {
        ScalarKind.String => "string",
        ScalarKind.Int => "int",
        ScalarKind.Uint => "uint",
        ScalarKind.Bool => "bool",
        _ => "float64",
    };
}

/// <summary>A list; Consul appends lists from later sources.</summary>
internal sealed record ListNode(SchemaNode Element) : SchemaNode;

/// <summary>A map with user-chosen keys (node_meta, service_ttl, ...); keys are kept verbatim.</summary>
internal sealed record MapNode(SchemaNode Value) : SchemaNode;

/// <summary>Accepted and stored without checking (telemetry, connect, watches, ...).</summary>
internal sealed record AnyNode : SchemaNode
{
    public static readonly AnyNode Instance = new();
}

/// <summary>
/// A struct with known keys. Keys match exactly, then case-insensitively (as Go's mapstructure
/// does); with <see cref="Translate"/> also ignoring underscores, so snake_case config keys and
/// PascalCase API keys (EnableTagOverride) both land on the same field.
/// </summary>
internal sealed record ObjectNode : SchemaNode
{
    private readonly Dictionary<string, SchemaNode> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ignoreCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _normalized = new(StringComparer.Ordinal);

    public ObjectNode(bool translate = false) => Translate = translate;

    public bool Translate { get; }

    public ObjectNode Add(string name, SchemaNode node)
    {
        _fields[name] = node;
        _ignoreCase.TryAdd(name, name);
        _normalized.TryAdd(Normalize(name), name);
        return this;
    }

    /// <summary>Registers another spelling (Consul's "alias" tags) for an existing field.</summary>
    public ObjectNode Alias(string alias, string name)
    {
        _normalized.TryAdd(Normalize(alias), name);
        _ignoreCase.TryAdd(alias, name);
        return this;
    }

    public bool TryResolve(string key, out string name, out SchemaNode node)
    {
        if (_fields.TryGetValue(key, out node!)) { name = key; return true; }
        if (_ignoreCase.TryGetValue(key, out name!)) { node = _fields[name]; return true; }
        if (Translate && _normalized.TryGetValue(Normalize(key), out name!)) { node = _fields[name]; return true; }
        name = "";
        node = null!;
        return false;
    }

    private static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
