using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>KV reads with Consul's index rules (state/kvs.go).</summary>
public static class KVReads
{
    public static readonly string[] WatchTables = [Tables.KV, Tables.Tombstones];

    internal static IEnumerable<string> KeysWithPrefix(StateSnapshot s, string prefix) =>
        EntriesWithPrefix(s, prefix).Select(e => e.Key);

    public static IEnumerable<KVEntry> EntriesWithPrefix(StateSnapshot s, string prefix)
    {
        if (prefix.Length == 0) return s.KV.Values;
        return s.KV.Values.SkipWhile(e => string.CompareOrdinal(e.Key, prefix) < 0)
            .TakeWhile(e => e.Key.StartsWith(prefix, StringComparison.Ordinal));
    }

    /// <summary>One key. Reports the KV table index; wakes only when this key changes.</summary>
    public static QueryResult<KVEntry?> Get(StateSnapshot s, string key)
    {
        var index = s.MaxIndex(Tables.KV, Tables.Tombstones);
        s.KV.TryGetValue(key, out var entry);
        var fingerprint = entry?.ModifyIndex ?? s.Tombstones.GetValueOrDefault(key);
        return new(index, entry, fingerprint);
    }

    /// <summary>All entries under a prefix. Index is the highest ModifyIndex (or deletion) under it.</summary>
    public static QueryResult<List<KVEntry>> List(StateSnapshot s, string prefix)
    {
        var entries = EntriesWithPrefix(s, prefix).ToList();
        var index = SubIndex(s, prefix, entries);
        return new(index, entries, index);
    }

    /// <summary>Keys under a prefix, rolled up at the first separator after the prefix.</summary>
    public static QueryResult<List<string>> Keys(StateSnapshot s, string prefix, string? separator)
    {
        var entries = EntriesWithPrefix(s, prefix).ToList();
        var index = SubIndex(s, prefix, entries);
        return new(index, RollUp(entries, prefix, separator), index);
    }

    /// <summary>Keys of the given entries (in key order), rolled up at the first separator after the prefix.</summary>
    public static List<string> RollUp(IEnumerable<KVEntry> entries, string prefix, string? separator)
    {
        var keys = new List<string>();
        string? last = null;
        foreach (var e in entries)
        {
            var key = e.Key;
            if (!string.IsNullOrEmpty(separator))
            {
                var at = key.IndexOf(separator, prefix.Length, StringComparison.Ordinal);
                if (at >= 0) key = key[..(at + separator.Length)];
            }
            if (key == last) continue;
            keys.Add(key);
            last = key;
        }
        return keys;
    }

    private static ulong SubIndex(StateSnapshot s, string prefix, List<KVEntry> entries)
    {
        var tableIndex = s.MaxIndex(Tables.KV, Tables.Tombstones);
        if (prefix.Length == 0) return tableIndex;
        ulong sub = 0;
        foreach (var e in entries) sub = Math.Max(sub, e.ModifyIndex);
        foreach (var g in s.Tombstones.SkipWhile(t => string.CompareOrdinal(t.Key, prefix) < 0)
                     .TakeWhile(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)))
            sub = Math.Max(sub, g.Value);
        return sub != 0 ? sub : tableIndex;
    }
}
