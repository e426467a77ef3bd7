using System.Text.Json;
using Consul.Core.Filter;

namespace Consul.Agent.Http;

/// <summary>?filter on listing endpoints: each item is matched in the JSON form the API returns.</summary>
public static class ApiFilter
{
    public static FilterEvaluator? From(QueryOptions opts)
    {
        if (string.IsNullOrWhiteSpace(opts.Filter)) return null;
        try
        {
            return FilterEvaluator.Create(opts.Filter);
        }
        catch (FilterException e)
        {
            throw ApiException.BadRequest($"Failed to create boolean expression evaluator: {e.Message}");
        }
    }

    public static List<T> Apply<T>(IEnumerable<T> items, QueryOptions opts)
    {
        var filter = From(opts);
        return filter is null ? items.ToList() : items.Where(i => filter.Matches(JsonSerializer.SerializeToElement(i, ApiJson.Compact))).ToList();
    }

    /// <summary>Filters items by the JSON form <paramref name="shape"/> gives them, keeping the items themselves.</summary>
    public static List<T> Apply<T, TJson>(IEnumerable<T> items, Func<T, TJson> shape, QueryOptions opts)
    {
        var filter = From(opts);
        return filter is null ? items.ToList() : items.Where(i => filter.Matches(JsonSerializer.SerializeToElement(shape(i), ApiJson.Compact))).ToList();
    }

    public static Dictionary<string, T> Apply<T>(Dictionary<string, T> items, QueryOptions opts)
    {
        var filter = From(opts);
        return filter is null
            ? items
            : items.Where(kv => filter.Matches(JsonSerializer.SerializeToElement(kv.Value, ApiJson.Compact)))
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
    }
}
