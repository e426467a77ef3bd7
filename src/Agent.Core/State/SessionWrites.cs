using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>Session create/destroy and invalidation with Consul's rules (state/session.go).</summary>
internal static class SessionWrites
{
    public static object? Apply(StateTxn txn, SessionCommand c) => c.Verb switch
    {
        SessionCommand.Create => Create(txn, c.Session),
        SessionCommand.Destroy => Invalidate(txn, c.Session.ID),
        _ => throw new StateException($"Invalid session operation \"{c.Verb}\""),
    };

    private static string Create(StateTxn txn, Session s)
    {
        if (string.IsNullOrEmpty(s.ID)) throw new StateException("Missing session ID");
        if (s.Behavior is not (SessionBehavior.Release or SessionBehavior.Delete))
            throw new StateException($"Invalid session behavior: {s.Behavior}");
        if (!txn.Snap.Nodes.ContainsKey(s.Node)) throw new StateException($"Missing node registration");
        var checks = txn.Snap.Checks.GetValueOrDefault(s.Node);
        foreach (var id in s.CheckIds)
        {
            if (checks is null || !checks.TryGetValue(id, out var check))
                throw new StateException($"Missing check '{id}' registration");
            if (check.Status == HealthStatus.Critical)
                throw new StateException($"Check '{id}' is in critical state");
        }
        var session = s with { CreateIndex = txn.Index, ModifyIndex = txn.Index };
        txn.Update(snap => snap with { Sessions = snap.Sessions.SetItem(s.ID, session) }, Tables.Sessions);
        return s.ID;
    }

    /// <summary>Removes a session and releases (or deletes) every key it holds, starting their lock-delay.</summary>
    public static bool Invalidate(StateTxn txn, string id)
    {
        if (!txn.Snap.Sessions.TryGetValue(id, out var session)) return true;
        txn.Update(snap => snap with { Sessions = snap.Sessions.Remove(id) }, Tables.Sessions);
        // Queries bound to the session go with it (Consul's session invalidation).
        var bound = txn.Snap.PreparedQueries.Values.Where(q => q.Session == id).Select(q => q.ID).ToList();
        if (bound.Count > 0)
            txn.Update(snap => snap with { PreparedQueries = snap.PreparedQueries.RemoveRange(bound) }, Tables.PreparedQueries);
        var held = txn.Snap.KV.Values.Where(e => e.Session == id).ToList();
        foreach (var entry in held)
        {
            if (session.Behavior == SessionBehavior.Delete)
            {
                txn.Update(snap => snap with { KV = snap.KV.Remove(entry.Key), Tombstones = snap.Tombstones.SetItem(entry.Key, txn.Index) }, Tables.KV, Tables.Tombstones);
                txn.Events.Add(new Events.KVDeleted(entry.Key, false));
            }
            else
            {
                var released = entry with { Session = null, ModifyIndex = txn.Index };
                txn.Update(snap => snap with { KV = snap.KV.SetItem(entry.Key, released) }, Tables.KV);
            }
            if (session.LockDelay > 0) txn.LockDelays.Add((entry.Key, session.LockDelaySpan));
        }
        return true;
    }

    /// <summary>Sessions invalidated when a check they depend on goes critical or disappears.</summary>
    public static void InvalidateForCheck(StateTxn txn, string node, string checkId)
    {
        foreach (var s in txn.Snap.Sessions.Values.Where(s => s.Node == node && s.CheckIds.Contains(checkId)).ToList())
            Invalidate(txn, s.ID);
    }

    /// <summary>Sessions invalidated when their node is deregistered.</summary>
    public static void InvalidateForNode(StateTxn txn, string node)
    {
        foreach (var s in txn.Snap.Sessions.Values.Where(s => string.Equals(s.Node, node, StringComparison.OrdinalIgnoreCase)).ToList())
            Invalidate(txn, s.ID);
    }
}
