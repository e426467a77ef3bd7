using System.Globalization;
using System.Text.Json.Nodes;

namespace Consul.Core.Watches;

/// <summary>type=key: one KV entry (api.KVPair) or null.</summary>
internal sealed class KeyWatchSource(string key, bool stale) : WatchSource
{
    public static KeyWatchSource Create(WatchParams p)
    {
        var stale = p.TakeBool("stale");
        var key = p.TakeString("key");
        if (key.Length == 0) throw new WatchParseException("Must specify a single key to watch");
        return new KeyWatchSource(key, stale);
    }

    protected override string Path => "/v1/kv/" + key;
    protected override IEnumerable<KeyValuePair<string, string>> Parameters => Stale(stale);
    protected override bool NotFoundIsEmpty => true;

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex) =>
        Parse(response) is JsonArray { Count: > 0 } list && list[0] is { } first ? KvPairJson.FromApi(first) : null;
}

/// <summary>type=keyprefix: every entry under a prefix (api.KVPairs), null when none.</summary>
internal sealed class KeyPrefixWatchSource(string prefix, bool stale) : WatchSource
{
    public static KeyPrefixWatchSource Create(WatchParams p)
    {
        var stale = p.TakeBool("stale");
        var prefix = p.TakeString("prefix");
        if (prefix.Length == 0) throw new WatchParseException("Must specify a single prefix to watch");
        return new KeyPrefixWatchSource(prefix, stale);
    }

    protected override string Path => "/v1/kv/" + prefix;
    protected override IEnumerable<KeyValuePair<string, string>> Parameters => [new("recurse", ""), .. Stale(stale)];
    protected override bool NotFoundIsEmpty => true;

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex)
    {
        if (Parse(response) is not JsonArray list) return null;
        return new JsonArray(list.Where(n => n is not null).Select(n => (JsonNode?)KvPairJson.FromApi(n!)).ToArray());
    }
}

/// <summary>type=services: service name → tags, keys sorted as Go marshals maps.</summary>
internal sealed class ServicesWatchSource(bool stale) : WatchSource
{
    protected override string Path => "/v1/catalog/services";
    protected override IEnumerable<KeyValuePair<string, string>> Parameters => Stale(stale);

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex)
    {
        if (Parse(response) is not JsonObject map) return null;
        var sorted = new JsonObject();
        foreach (var (name, tags) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            sorted[name] = tags?.DeepClone();
        return sorted;
    }
}

/// <summary>type=nodes: the catalog's node list.</summary>
internal sealed class NodesWatchSource(bool stale) : WatchSource
{
    protected override string Path => "/v1/catalog/nodes";
    protected override IEnumerable<KeyValuePair<string, string>> Parameters => Stale(stale);
    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex) => Parse(response);
}

/// <summary>type=service: health entries of one service, optionally by tags and passing only.</summary>
internal sealed class ServiceWatchSource(string service, IReadOnlyList<string> tags, bool passingOnly, bool stale) : WatchSource
{
    public static ServiceWatchSource Create(WatchParams p)
    {
        var stale = p.TakeBool("stale");
        var service = p.TakeString("service");
        if (service.Length == 0) throw new WatchParseException("Must specify a single service to watch");
        var tags = p.TakeStringList("tag");
        var passing = p.TakeBool("passingonly");
        return new ServiceWatchSource(service, tags, passing, stale);
    }

    protected override string Path => "/v1/health/service/" + service;

    protected override IEnumerable<KeyValuePair<string, string>> Parameters =>
        [.. tags.Select(t => new KeyValuePair<string, string>("tag", t)),
         .. passingOnly ? [new KeyValuePair<string, string>("passing", "1")] : Array.Empty<KeyValuePair<string, string>>(),
         .. Stale(stale)];

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex) => Parse(response);
}

/// <summary>type=checks: checks of one service, or all checks in a state (default "any").</summary>
internal sealed class ChecksWatchSource(string service, string state, bool stale) : WatchSource
{
    private static readonly string[] States = ["any", "warning", "critical", "passing"];

    public static ChecksWatchSource Create(WatchParams p)
    {
        var stale = p.TakeBool("stale");
        var service = p.TakeString("service");
        var state = p.TakeString("state");
        if (service.Length > 0 && state.Length > 0) throw new WatchParseException("Cannot specify service and state");
        if (service.Length == 0 && state.Length == 0) state = "any";
        return new ChecksWatchSource(service, state, stale);
    }

    protected override string Path => state.Length > 0 ? "/v1/health/state/" + state : "/v1/health/checks/" + service;
    protected override IEnumerable<KeyValuePair<string, string>> Parameters => Stale(stale);

    // health.State refuses unknown states before asking; the watch then backs off and retries.
    protected override void Validate()
    {
        if (state.Length > 0 && !States.Contains(state)) throw new WatchQueryException($"Unsupported state: {state}");
    }

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex) => Parse(response);
}

/// <summary>type=event: user events, pruned to those after the last one already delivered.</summary>
internal sealed class EventWatchSource(string name) : WatchSource
{
    protected override string Path => "/v1/event/list";

    protected override IEnumerable<KeyValuePair<string, string>> Parameters =>
        name.Length > 0 ? [new("name", name)] : [];

    protected override JsonNode? Read(WatchHttpResult response, ulong lastIndex)
    {
        if (Parse(response) is not JsonArray events) return null;
        var items = events.ToList();
        // The blocking index of the event list is the last event's ID folded to 64 bits.
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i]?["ID"]?.GetValue<string>() is { } id && lastIndex != 0 && EventIndex.FromId(id) == lastIndex)
            {
                items = items.Skip(i + 1).ToList();
                break;
            }
        }
        return new JsonArray(items.Select(n => n?.DeepClone()).ToArray());
    }
}

/// <summary>Consul's event.IDToIndex: XOR of the UUID's two 64-bit halves.</summary>
public static class EventIndex
{
    public static ulong FromId(string uuid)
    {
        if (uuid.Length < 36) return 0;
        var lower = uuid[..8] + uuid[9..13] + uuid[14..18];
        var upper = uuid[19..23] + uuid[24..36];
        if (!ulong.TryParse(lower, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low)) return 0;
        if (!ulong.TryParse(upper, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)) return 0;
        return low ^ high;
    }
}

/// <summary>api.KVPair as Go marshals it: field order and an always-present Session.</summary>
internal static class KvPairJson
{
    public static JsonObject FromApi(JsonNode entry)
    {
        var o = new JsonObject
        {
            ["Key"] = entry["Key"]?.DeepClone() ?? "",
            ["CreateIndex"] = entry["CreateIndex"]?.DeepClone() ?? 0,
            ["ModifyIndex"] = entry["ModifyIndex"]?.DeepClone() ?? 0,
            ["LockIndex"] = entry["LockIndex"]?.DeepClone() ?? 0,
            ["Flags"] = entry["Flags"]?.DeepClone() ?? 0,
            ["Value"] = entry["Value"]?.DeepClone(),
            ["Session"] = entry["Session"]?.DeepClone() ?? "",
        };
        if (entry["Namespace"] is { } ns && ns.GetValue<string>().Length > 0) o["Namespace"] = ns.DeepClone();
        if (entry["Partition"] is { } part && part.GetValue<string>().Length > 0) o["Partition"] = part.DeepClone();
        return o;
    }
}
