namespace Consul.Agent.Config;

/// <summary>
/// Merges decoded config trees the way Consul's config.Merge does: later scalars win, lists
/// are appended, objects and maps are merged key by key.
/// </summary>
internal static class ConfigMerger
{
    public static void MergeInto(Dictionary<string, object?> target, Dictionary<string, object?> source)
    {
        foreach (var (key, value) in source)
        {
            if (value is null) continue;
            target.TryGetValue(key, out var existing);
            target[key] = (existing, value) switch
            {
                (Dictionary<string, object?> a, Dictionary<string, object?> b) => (object)MergedCopy(a, b),
                (List<object?> a, List<object?> b) => (object)new List<object?>(a.Concat(b)),
                _ => value,
            };
        }
    }

    private static Dictionary<string, object?> MergedCopy(Dictionary<string, object?> a, Dictionary<string, object?> b)
    {
        var copy = new Dictionary<string, object?>(a, StringComparer.Ordinal);
        MergeInto(copy, b);
        return copy;
    }

    /// <summary>
    /// A single "service"/"check" in one source joins that source's "services"/"checks" list
    /// before merging, so several files can each define one service.
    /// </summary>
    public static void FoldSingulars(Dictionary<string, object?> tree)
    {
        Fold(tree, "check", "checks");
        Fold(tree, "service", "services");
    }

    private static void Fold(Dictionary<string, object?> tree, string single, string plural)
    {
        if (!tree.Remove(single, out var item) || item is null) return;
        var list = tree.TryGetValue(plural, out var l) && l is List<object?> existing ? existing : [];
        list.Add(item);
        tree[plural] = list;
    }
}
