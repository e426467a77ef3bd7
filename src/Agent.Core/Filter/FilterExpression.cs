namespace Consul.Core.Filter;

/// <summary>The parsed form of Consul's ?filter language (go-bexpr).</summary>
public abstract record FilterNode;

public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;
public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;
public sealed record NotNode(FilterNode Inner) : FilterNode;

public enum MatchOp { Equal, NotEqual, IsEmpty, IsNotEmpty, In, NotIn, Contains, NotContains, Matches, NotMatches }

/// <summary>One comparison: a selector path (JSON field names, map keys), an operator and a literal.</summary>
public sealed record MatchNode(IReadOnlyList<string> Selector, MatchOp Op, string? Value) : FilterNode;

/// <summary>A filter expression that does not parse, with go-bexpr-like wording.</summary>
public sealed class FilterException(string message) : Exception(message);
