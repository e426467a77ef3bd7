namespace Consul.Core.Acl;

/// <summary>
/// Exact and prefix rules for one resource kind, answering the lookups Consul makes on
/// its radix trees: exact match first, else the longest matching prefix.
/// </summary>
internal sealed class RuleTable
{
    internal sealed class Leaf
    {
        public AccessLevel? Exact;
        public AccessLevel? Prefix;
    }

    private readonly Dictionary<string, Leaf> _leaves = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Leaf>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    // Distinct lengths of stored segments, ascending, so lookups only probe lengths that exist.
    private int[] _lengths = [];

    public RuleTable() => _bySpan = _leaves.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool IsEmpty => _leaves.Count == 0;

    public void Insert(string segment, AccessLevel access, bool prefix)
    {
        if (!_leaves.TryGetValue(segment, out var leaf))
        {
            leaf = new Leaf();
            _leaves[segment] = leaf;
            _lengths = _leaves.Keys.Select(k => k.Length).Distinct().Order().ToArray();
        }
        if (prefix) leaf.Prefix = access; else leaf.Exact = access;
    }

    /// <summary>Consul's getPolicy: the exact rule for the segment, else the longest prefix rule.</summary>
    public bool TryGet(string segment, out AccessLevel access)
    {
        if (_bySpan.TryGetValue(segment.AsSpan(), out var own) && own.Exact is { } exact)
        {
            access = exact;
            return true;
        }
        for (int i = _lengths.Length - 1; i >= 0; i--)
        {
            int len = _lengths[i];
            if (len > segment.Length) continue;
            if (_bySpan.TryGetValue(segment.AsSpan(0, len), out var leaf) && leaf.Prefix is { } p)
            {
                access = p;
                return true;
            }
        }
        access = AccessLevel.Unknown;
        return false;
    }

    /// <summary>The longest prefix rule covering the segment (exact rules ignored).</summary>
    public AccessLevel? LongestPrefixRule(string segment)
    {
        for (int i = _lengths.Length - 1; i >= 0; i--)
        {
            int len = _lengths[i];
            if (len > segment.Length) continue;
            if (_bySpan.TryGetValue(segment.AsSpan(0, len), out var leaf) && leaf.Prefix is { } p) return p;
        }
        return null;
    }

    public Leaf? Get(string segment) => _leaves.GetValueOrDefault(segment);

    /// <summary>Leaves whose segment starts with the prefix (Consul's WalkPrefix).</summary>
    public IEnumerable<Leaf> Under(string prefix) =>
        _leaves.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(kv => kv.Value);

    public IEnumerable<Leaf> All => _leaves.Values;
}
