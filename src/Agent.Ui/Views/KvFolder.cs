using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>One entry in a KV folder listing: a key or a sub-folder (ends with "/").</summary>
public sealed record KvChild(string Name, string FullKey, bool IsFolder);

/// <summary>The KV tree, folded at "/" as Consul's UI does.</summary>
public static class KvFolder
{
    /// <summary>
    /// Immediate children of a folder prefix ("" is the root, otherwise ends with "/") the viewer
    /// may read: as ?keys&amp;separator=/ filters them, a sub-folder by key:read on its own prefix.
    /// </summary>
    public static Visible<KvChild> Children(StateSnapshot snap, string prefix, Authorizer authz) =>
        Visible<KvChild>.Of(KVReads.Keys(snap, prefix, "/").Value
            .Where(k => k != prefix) // a "folder/" marker key is the folder itself
            .Select(k => new KvChild(k[prefix.Length..], k, k.EndsWith('/')))
            .OrderByDescending(c => c.IsFolder).ThenBy(c => c.Name, StringComparer.Ordinal),
            c => authz.KeyRead(c.FullKey));

    /// <summary>Keys at or under the prefix the viewer may read.</summary>
    public static int CountReadable(StateSnapshot snap, string prefix, Authorizer authz) =>
        KVReads.EntriesWithPrefix(snap, prefix).Count(e => authz.KeyRead(e.Key));

    /// <summary>Whether any key the viewer may read lives at or under the prefix.</summary>
    public static bool Exists(StateSnapshot snap, string prefix, Authorizer authz) =>
        KVReads.EntriesWithPrefix(snap, prefix).Any(e => authz.KeyRead(e.Key));

    /// <summary>Folder prefixes from the root down to the given path: "a/b/c" → "", "a/", "a/b/".</summary>
    public static IReadOnlyList<string> Ancestors(string path)
    {
        var list = new List<string> { "" };
        for (var i = path.IndexOf('/'); i >= 0 && i < path.Length - 1; i = path.IndexOf('/', i + 1))
            list.Add(path[..(i + 1)]);
        if (path.EndsWith('/') && path.Length > 0 && !list.Contains(path)) list.Add(path);
        return list;
    }

    /// <summary>The folder that contains a key ("a/b/c" → "a/b/", "a/b/" → "a/", "x" → "").</summary>
    public static string Parent(string path)
    {
        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        var at = trimmed.LastIndexOf('/');
        return at < 0 ? "" : trimmed[..(at + 1)];
    }

    /// <summary>Last path segment, keeping a folder's trailing "/".</summary>
    public static string Name(string path)
    {
        var parent = Parent(path);
        return path[parent.Length..];
    }
}
