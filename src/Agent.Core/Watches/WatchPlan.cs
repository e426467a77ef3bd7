namespace Consul.Core.Watches;

/// <summary>
/// A parsed watch specification, as Consul's watch.Parse builds it from the `consul watch`
/// flags or an agent config `watches` entry: the generic fields plus the type's query.
/// </summary>
public sealed class WatchPlan
{
    private WatchPlan(string type, string datacenter, string token, string handlerType,
        WatchSource source, IReadOnlyDictionary<string, object?> exempt)
    {
        Type = type;
        Datacenter = datacenter;
        Token = token;
        HandlerType = handlerType;
        Source = source;
        Exempt = exempt;
    }

    public string Type { get; }
    public string Datacenter { get; }
    /// <summary>The ACL token the watch runs with; the fetch delegate sends it.</summary>
    public string Token { get; }
    public string HandlerType { get; }
    /// <summary>Parameters the caller asked to keep aside (e.g. "args", "handler").</summary>
    public IReadOnlyDictionary<string, object?> Exempt { get; }

    internal WatchSource Source { get; }

    /// <summary>Watch types Consul's CLI and config accept here.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
        ["key", "keyprefix", "services", "nodes", "service", "checks", "event"];

    /// <summary>
    /// Consul's ParseExempt: values are strings, bools or string lists; every parameter must
    /// be used by the type or be exempt, else "Invalid parameters: [...]".
    /// </summary>
    public static WatchPlan Parse(IReadOnlyDictionary<string, object?> parameters, IEnumerable<string>? exempt = null)
    {
        var p = new WatchParams(parameters);
        var datacenter = p.TakeString("datacenter");
        var token = p.TakeString("token");
        var type = p.TakeString("type");
        if (type.Length == 0) throw new WatchParseException("Watch type must be specified");
        var handlerType = p.TakeString("handler_type");

        WatchSource source = type switch
        {
            "key" => KeyWatchSource.Create(p),
            "keyprefix" => KeyPrefixWatchSource.Create(p),
            "services" => new ServicesWatchSource(p.TakeBool("stale")),
            "nodes" => new NodesWatchSource(p.TakeBool("stale")),
            "service" => ServiceWatchSource.Create(p),
            "checks" => ChecksWatchSource.Create(p),
            "event" => new EventWatchSource(p.TakeString("name")),
            _ => throw new WatchParseException($"Unsupported watch type: {type}"),
        };
        source.Datacenter = datacenter;

        var kept = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var name in exempt ?? [])
            if (p.TryTake(name, out var value)) kept[name] = value;
        if (p.Remaining.Count > 0)
            throw new WatchParseException($"Invalid parameters: [{string.Join(' ', p.Remaining)}]");
        return new WatchPlan(type, datacenter, token, handlerType, source, kept);
    }
}

/// <summary>The parameter map with Consul's assignValue* helpers: typed take-and-remove.</summary>
internal sealed class WatchParams(IReadOnlyDictionary<string, object?> source)
{
    private readonly Dictionary<string, object?> _left = new(source, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Remaining => _left.Keys;

    public bool TryTake(string name, out object? value) => _left.Remove(name, out value);

    public string TakeString(string name)
    {
        if (!_left.Remove(name, out var raw)) return "";
        return raw as string ?? throw new WatchParseException($"Expecting {name} to be a string");
    }

    public bool TakeBool(string name)
    {
        if (!_left.Remove(name, out var raw)) return false;
        return raw as bool? ?? throw new WatchParseException($"Expecting {name} to be a boolean");
    }

    public IReadOnlyList<string> TakeStringList(string name)
    {
        if (!_left.Remove(name, out var raw)) return [];
        switch (raw)
        {
            case string s: return [s];
            case IEnumerable<string> list: return list.ToList();
            case IEnumerable<object?> items:
                var result = new List<string>();
                var i = 0;
                foreach (var item in items)
                {
                    if (item is not string s) throw new WatchParseException($"Index {i} of {name} expected to be string");
                    result.Add(s);
                    i++;
                }
                return result;
            default:
                throw new WatchParseException($"Expecting {name} to be a string or []string");
        }
    }
}
