using Consul.Core.Events;
using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>KV writes with Consul's semantics (state/kvs.go).</summary>
internal static class KVWrites
{
    public static object? Apply(StateTxn txn, KVCommand k) => k.Verb switch
    {
        KVOps.Set => Set(txn, k),
        KVOps.Cas => Cas(txn, k),
        KVOps.Delete => Delete(txn, k.Key),
        KVOps.DeleteCas => DeleteCas(txn, k),
        KVOps.DeleteTree => DeleteTree(txn, k.Key),
        KVOps.Lock => Lock(txn, k),
        KVOps.Unlock => Unlock(txn, k),
        _ => throw new StateException($"Invalid KV operation \"{k.Verb}\""),
    };

    // A plain set keeps the lock holder and LockIndex, as Consul's kvsSetTxn.
    private static bool Set(StateTxn txn, KVCommand k)
    {
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        Write(txn, k, existing, existing?.Session, existing?.LockIndex ?? 0);
        return true;
    }

    /// <summary>Acquire: the session must exist; a key held by another session is refused (false).</summary>
    private static bool Lock(StateTxn txn, KVCommand k)
    {
        if (string.IsNullOrEmpty(k.Session)) throw new StateException("Missing session");
        if (!txn.Snap.Sessions.ContainsKey(k.Session)) throw new StateException($"Invalid session \"{k.Session}\"");
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        if (existing?.Session is { Length: > 0 } holder && holder != k.Session) return false;
        var lockIndex = existing is null ? 1 : existing.Session == k.Session ? existing.LockIndex : existing.LockIndex + 1;
        Write(txn, k, existing, k.Session, lockIndex);
        return true;
    }

    /// <summary>Release: only the holding session may release.</summary>
    private static bool Unlock(StateTxn txn, KVCommand k)
    {
        if (string.IsNullOrEmpty(k.Session)) throw new StateException("Missing session");
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        if (existing is null || existing.Session != k.Session) return false;
        Write(txn, k, existing, null, existing.LockIndex);
        return true;
    }

    private static void Write(StateTxn txn, KVCommand k, KVEntry? existing, string? session, ulong lockIndex)
    {
        var entry = new KVEntry
        {
            Key = k.Key, Flags = k.Flags, Value = k.Value, Session = session, LockIndex = lockIndex,
            CreateIndex = existing?.CreateIndex ?? txn.Index, ModifyIndex = txn.Index,
        };
        // Consul skips the write when nothing changed, so indexes and watchers stay put.
        if (existing is not null && existing.Flags == entry.Flags && existing.Session == entry.Session &&
            existing.LockIndex == entry.LockIndex && (existing.Value ?? []).AsSpan().SequenceEqual(entry.Value ?? []))
            return;
        txn.Update(s => s with { KV = s.KV.SetItem(k.Key, entry) }, Tables.KV);
        txn.Events.Add(new KVPut(k.Key, k.Value?.Length ?? 0, k.Flags));
    }

    private static bool Cas(StateTxn txn, KVCommand k)
    {
        txn.Snap.KV.TryGetValue(k.Key, out var existing);
        // ModifyIndex 0 means "only if it does not exist yet".
        if (k.ModifyIndex == 0 && existing is not null) return false;
        if (k.ModifyIndex != 0 && (existing is null || existing.ModifyIndex != k.ModifyIndex)) return false;
        return Set(txn, k);
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
