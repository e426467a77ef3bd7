using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Consul.Core.Filter;

/// <summary>
/// A compiled ?filter expression, evaluated against the JSON form of each result item (so
/// selectors are exactly the field names the API returns). A selector that runs through a
/// list (e.g. <c>Checks.Status</c>) matches when any element matches.
/// </summary>
public sealed class FilterEvaluator
{
    private readonly FilterNode _root;
    private readonly Dictionary<string, Regex> _regexes = new(StringComparer.Ordinal);

    private FilterEvaluator(FilterNode root)
    {
        _root = root;
        foreach (var m in Matches(root).Where(m => m.Op is MatchOp.Matches or MatchOp.NotMatches))
        {
            try { _regexes[m.Value!] = new Regex(m.Value!, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)); }
            catch (ArgumentException e) { throw new FilterException($"invalid regular expression \"{m.Value}\": {e.Message}"); }
        }
    }

    /// <summary>Parses an expression; throws <see cref="FilterException"/> naming the problem.</summary>
    public static FilterEvaluator Create(string expression) => new(FilterParser.Parse(expression));

    public bool Matches(JsonElement item) => Eval(_root, item);

    private bool Eval(FilterNode node, JsonElement item) => node switch
    {
        AndNode a => Eval(a.Left, item) && Eval(a.Right, item),
        OrNode o => Eval(o.Left, item) || Eval(o.Right, item),
        NotNode n => !Eval(n.Inner, item),
        MatchNode m => EvalMatch(m, item),
        _ => false,
    };

    private bool EvalMatch(MatchNode m, JsonElement item)
    {
        var values = Resolve(item, m.Selector, 0).ToList();
        return m.Op switch
        {
            MatchOp.Equal => values.Any(v => ValueEquals(v, m.Value!)),
            MatchOp.NotEqual => !values.Any(v => ValueEquals(v, m.Value!)),
            MatchOp.IsEmpty => values.All(IsEmpty),
            MatchOp.IsNotEmpty => values.Any(v => !IsEmpty(v)),
            MatchOp.In or MatchOp.Contains => values.Any(v => Holds(v, m.Value!)),
            MatchOp.NotIn or MatchOp.NotContains => !values.Any(v => Holds(v, m.Value!)),
            MatchOp.Matches => values.Any(v => v.ValueKind == JsonValueKind.String && _regexes[m.Value!].IsMatch(v.GetString()!)),
            MatchOp.NotMatches => !values.Any(v => v.ValueKind == JsonValueKind.String && _regexes[m.Value!].IsMatch(v.GetString()!)),
            _ => false,
        };
    }

    /// <summary>Follows the selector through objects and maps, fanning out over arrays.</summary>
    private static IEnumerable<JsonElement> Resolve(JsonElement e, IReadOnlyList<string> path, int at)
    {
        if (at == path.Count)
        {
            yield return e;
            yield break;
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                if (e.TryGetProperty(path[at], out var child))
                    foreach (var v in Resolve(child, path, at + 1)) yield return v;
                break;
            case JsonValueKind.Array:
                foreach (var element in e.EnumerateArray())
                    foreach (var v in Resolve(element, path, at)) yield return v;
                break;
        }
    }

    private static bool ValueEquals(JsonElement v, string literal) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() == literal,
        JsonValueKind.Number => double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.GetDouble() == d,
        JsonValueKind.True => literal == "true",
        JsonValueKind.False => literal == "false",
        JsonValueKind.Array => v.EnumerateArray().Any(x => ValueEquals(x, literal)),
        _ => false,
    };

    private static bool IsEmpty(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.String => v.GetString()!.Length == 0,
        JsonValueKind.Array => v.GetArrayLength() == 0,
        JsonValueKind.Object => !v.EnumerateObject().Any(),
        _ => false,
    };

    // "v in Sel" / "Sel contains v": element of a list, key of a map, substring of a string.
    private static bool Holds(JsonElement v, string literal) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!.Contains(literal, StringComparison.Ordinal),
        JsonValueKind.Array => v.EnumerateArray().Any(x => ValueEquals(x, literal)),
        JsonValueKind.Object => v.TryGetProperty(literal, out _),
        _ => false,
    };

    private static IEnumerable<MatchNode> Matches(FilterNode n) => n switch
    {
        AndNode a => Matches(a.Left).Concat(Matches(a.Right)),
        OrNode o => Matches(o.Left).Concat(Matches(o.Right)),
        NotNode x => Matches(x.Inner),
        MatchNode m => [m],
        _ => [],
    };
}
