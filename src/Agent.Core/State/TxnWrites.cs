using Consul.Core.Model;

namespace Consul.Core.State;

public sealed record TxnResult(KVEntry? KV = null, Node? Node = null, NodeService? Service = null, HealthCheck? Check = null);
public sealed record TxnError(int OpIndex, string What);
/// <summary>Results when every operation succeeded; otherwise the errors and nothing applied.</summary>
public sealed record TxnOutcome(List<TxnResult>? Results, List<TxnError>? Errors);

/// <summary>Consul's transactions (state/txn.go): every operation in one state change, or none.</summary>
internal static class TxnWrites
{
    public static TxnOutcome Apply(StateTxn txn, TxnCommand cmd)
    {
        var results = new List<TxnResult>();
        var errors = new List<TxnError>();
        for (var i = 0; i < cmd.Ops.Count; i++)
        {
            try
            {
                results.AddRange(ApplyOp(txn, cmd.Ops[i]));
            }
            catch (StateException e)
            {
                errors.Add(new TxnError(i, e.Message));
            }
        }
        if (errors.Count > 0) throw new StateRollback(new TxnOutcome(null, errors));
        return new TxnOutcome(results, null);
    }

    private static IEnumerable<TxnResult> ApplyOp(StateTxn txn, TxnOp op) => op switch
    {
        { KV: { } kv } => KV(txn, kv),
        { Node: { } n } => Node(txn, n),
        { Service: { } s } => Service(txn, s),
        { Check: { } c } => Check(txn, c),
        _ => throw new StateException("Invalid transaction operation"),
    };

    private static IEnumerable<TxnResult> KV(StateTxn txn, TxnKVOp op)
    {
        var snap = txn.Snap;
        snap.KV.TryGetValue(op.Key, out var existing);
        var key = op.Key;
        KVEntry Existing() => existing ?? throw new StateException($"key \"{key}\" doesn't exist");
        switch (op.Verb)
        {
            case "get":
                return [new TxnResult(KV: Existing())];
            case "get-tree":
                return KVReads.EntriesWithPrefix(snap, key).Select(e => new TxnResult(KV: e)).ToList();
            case "check-index":
                if (Existing().ModifyIndex != op.Index) throw new StateException($"current modify index {existing!.ModifyIndex} != {op.Index}");
                return [Blank(existing!)];
            case "check-session":
                if (Existing().Session != op.Session)
                    throw new StateException($"failed session check for key \"{key}\", current session \"{existing!.Session}\" != \"{op.Session}\"");
                return [Blank(existing!)];
            case "check-not-exists":
                if (existing is not null) throw new StateException($"key \"{key}\" exists");
                return [];
            case "delete" or "delete-tree":
                KVWrites.Apply(txn, Command(op, op.Verb));
                return [];
            case "delete-cas":
                if (KVWrites.Apply(txn, Command(op, KVOps.DeleteCas)) is false)
                    throw new StateException($"failed to delete key \"{key}\", index is stale");
                return [];
        }
        var (verb, failure) = op.Verb switch
        {
            "set" => (KVOps.Set, ""),
            "cas" => (KVOps.Cas, $"failed to set key \"{key}\", index is stale"),
            "lock" => (KVOps.Lock, $"failed to lock key \"{key}\", lock is already held"),
            "unlock" => (KVOps.Unlock, $"failed to unlock key \"{key}\", lock isn't held, or is held by another session"),
            _ => throw new StateException($"unknown KV verb \"{op.Verb}\""),
        };
        if (KVWrites.Apply(txn, Command(op, verb)) is false) throw new StateException(failure);
        return [Blank(txn.Snap.KV[key])];
    }

    private static KVCommand Command(TxnKVOp op, string verb) =>
        new() { Verb = verb, Key = op.Key, Flags = op.Flags, Value = op.Value, ModifyIndex = op.Index, Session = op.Session };

    // Write and check results carry the entry without its value, as Consul's.
    private static TxnResult Blank(KVEntry e) => new(KV: e with { Value = null });

    private static IEnumerable<TxnResult> Node(StateTxn txn, TxnNodeOp op)
    {
        var n = op.Node;
        txn.Snap.Nodes.TryGetValue(n.Name, out var existing);
        switch (op.Verb)
        {
            case "get":
                return [new TxnResult(Node: existing ?? throw new StateException($"node \"{n.Name}\" doesn't exist"))];
            case "set" or "cas":
                if (op.Verb == "cas" && (existing?.ModifyIndex ?? 0) != n.ModifyIndex)
                    throw new StateException($"failed to set node \"{n.Name}\", index is stale");
                CatalogWrites.Register(txn, new RegisterCommand
                {
                    Node = n.Name, ID = n.ID, Address = n.Address, Datacenter = n.Datacenter,
                    TaggedAddresses = n.TaggedAddresses, NodeMeta = n.Meta,
                });
                return [new TxnResult(Node: txn.Snap.Nodes[n.Name])];
            case "delete" or "delete-cas":
                if (op.Verb == "delete-cas" && existing is not null && existing.ModifyIndex != n.ModifyIndex)
                    throw new StateException($"failed to delete node \"{n.Name}\", index is stale");
                CatalogWrites.Deregister(txn, new DeregisterCommand { Node = n.Name });
                return [];
            default:
                throw new StateException($"unknown Node verb \"{op.Verb}\"");
        }
    }

    private static IEnumerable<TxnResult> Service(StateTxn txn, TxnServiceOp op)
    {
        var id = string.IsNullOrEmpty(op.Service.ID) ? op.Service.Service : op.Service.ID;
        var existing = txn.Snap.Services.GetValueOrDefault(op.Node)?.GetValueOrDefault(id);
        switch (op.Verb)
        {
            case "get":
                return [new TxnResult(Service: existing ?? throw new StateException($"service \"{id}\" on node \"{op.Node}\" doesn't exist"))];
            case "set" or "cas":
                if (op.Verb == "cas" && (existing?.ModifyIndex ?? 0) != op.Service.ModifyIndex)
                    throw new StateException($"failed to set service \"{id}\" on node \"{op.Node}\", index is stale");
                CatalogWrites.Register(txn, new RegisterCommand { Node = op.Node, SkipNodeUpdate = true, Service = op.Service with { ID = id } });
                return [new TxnResult(Service: txn.Snap.Services[op.Node][id])];
            case "delete" or "delete-cas":
                if (op.Verb == "delete-cas" && existing is not null && existing.ModifyIndex != op.Service.ModifyIndex)
                    throw new StateException($"failed to delete service \"{id}\" on node \"{op.Node}\", index is stale");
                CatalogWrites.Deregister(txn, new DeregisterCommand { Node = op.Node, ServiceID = id });
                return [];
            default:
                throw new StateException($"unknown Service verb \"{op.Verb}\"");
        }
    }

    private static IEnumerable<TxnResult> Check(StateTxn txn, TxnCheckOp op)
    {
        var c = op.Check;
        var existing = txn.Snap.Checks.GetValueOrDefault(c.Node)?.GetValueOrDefault(c.CheckID);
        switch (op.Verb)
        {
            case "get":
                return [new TxnResult(Check: existing ?? throw new StateException($"check \"{c.CheckID}\" on node \"{c.Node}\" doesn't exist"))];
            case "set" or "cas":
                if (op.Verb == "cas" && (existing?.ModifyIndex ?? 0) != c.ModifyIndex)
                    throw new StateException($"failed to set check \"{c.CheckID}\" on node \"{c.Node}\", index is stale");
                CatalogWrites.Register(txn, new RegisterCommand { Node = c.Node, SkipNodeUpdate = true, Check = c });
                return [new TxnResult(Check: txn.Snap.Checks[c.Node][c.CheckID])];
            case "delete" or "delete-cas":
                if (op.Verb == "delete-cas" && existing is not null && existing.ModifyIndex != c.ModifyIndex)
                    throw new StateException($"failed to delete check \"{c.CheckID}\" on node \"{c.Node}\", index is stale");
                CatalogWrites.Deregister(txn, new DeregisterCommand { Node = c.Node, CheckID = c.CheckID });
                return [];
            default:
                throw new StateException($"unknown Check verb \"{op.Verb}\"");
        }
    }
}
