using Consul.Core.Events;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>KV writes with Consul's semantics (state/kvs.go).</summary>
internal static class KVWrites
{
    public static object? Apply(StateTxn txn, KVCommand k) => k.Verb switch
    {
        KVOps.Set => Set(txn, k, keepSession: true),
        KVOps.Cas => Cas(txn, k),
        KVOps.Delete => Delete(txn, k.Key),
        KVOps.DeleteCas => DeleteCas(txn, k),
        KVOps.DeleteTree => DeleteTree(txn, k.Key),
        _ => throw new StateException($"Invalid KV operation \"{k.Verb}\""),
    };

    private static bool Set(StateTxn txn, KVCommand k, bool keepSession)
    {
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        var entry = new KVEntry
        {
            Key = k.Key,
            Flags = k.Flags,
            Value = k.Value,
            Session = keepSession ? existing?.Session : k.Session,
            LockIndex = existing?.LockIndex ?? 0,
            CreateIndex = existing?.CreateIndex ?? txn.Index,
            ModifyIndex = txn.Index,
        };
        // Consul skips the write when nothing changed, so indexes and watchers stay put.
        if (existing is not null && existing.Flags == entry.Flags && existing.Session == entry.Session &&
            (existing.Value ?? []).AsSpan().SequenceEqual(entry.Value ?? []))
            return true;
        txn.Update(s => s with { KV = s.KV.SetItem(k.Key, entry) }, Tables.KV);
        txn.Events.Add(new KVPut(k.Key, k.Value?.Length ?? 0, k.Flags));
        return true;
    }

    private static bool Cas(StateTxn txn, KVCommand k)
    {
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        // ModifyIndex 0 means "only if it does not exist yet".
        if (k.ModifyIndex == 0 && existing is not null) return false;
        if (k.ModifyIndex != 0 && (existing is null || existing.ModifyIndex != k.ModifyIndex)) return false;
        return Set(txn, k, keepSession: true);
    }

    private static bool Delete(StateTxn txn, string key)
    {
        if (!txn.Snap.KV.ContainsKey(key)) return true;
        txn.Update(s => s with { KV = s.KV.Remove(key), Tombstones = s.Tombstones.SetItem(key, txn.Index) }, Tables.KV, Tables.Tombstones);
        txn.Events.Add(new KVDeleted(key, false));
        return true;
    }

    private static bool DeleteCas(StateTxn txn, KVCommand k)
    {
        if (!txn.Snap.KV.TryGetValue(k.Key, out var existing)) return true;
        if (existing.ModifyIndex != k.ModifyIndex) return false;
        return Delete(txn, k.Key);
    }

    private static bool DeleteTree(StateTxn txn, string prefix)
    {
        var keys = KVReads.KeysWithPrefix(txn.Snap, prefix).ToList();
        if (keys.Count == 0) return true;
        txn.Update(s =>
        {
            var kv = s.KV.RemoveRange(keys);
            var graves = s.Tombstones;
            foreach (var key in keys) graves = graves.SetItem(key, txn.Index);
            return s with { KV = kv, Tombstones = graves };
        }, Tables.KV, Tables.Tombstones);
        txn.Events.Add(new KVDeleted(prefix, true));
        return true;
    }
}
