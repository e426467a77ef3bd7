using Consul.Tests.Raft.Linearizability;
using Consul.Tests.Raft.Sim;

namespace Consul.Tests.ClusterE2E;

/// <summary>What a finished run's history of one key must satisfy; each method returns the problems it found.</summary>
public static class JepsenChecks
{
    /// <summary>Wing–Gong/Porcupine check of the key as a register (ModifyIndex-CAS maps to value-CAS because values are unique).</summary>
    public static IEnumerable<string> Linearizability(IReadOnlyList<JepsenOp> ops)
    {
        bool ok;
        try { ok = RegisterLinearizability.Check(ops.Select(o => o.ToEvent()).ToList(), initial: 0, maxStates: 20_000_000); }
        catch (TimeoutException e) { return [$"checker gave up: {e.Message}"]; }
        return ok ? [] : ["history is not linearizable"];
    }

    /// <summary>
    /// For a history that is not linearizable: the operation whose return first makes it so.
    /// Linearizability is prefix-closed, so a binary search over return times finds it; operations
    /// still running at the cut become pending (reads dropped, writes open-ended).
    /// </summary>
    public static JepsenOp? FirstViolation(IReadOnlyList<JepsenOp> ops)
    {
        var returns = ops.Where(o => !o.Unknown).OrderBy(o => o.Return).ToArray();
        bool Linearizable(long cut) => RegisterLinearizability.Check(ops
            .Where(o => o.Invoke <= cut && (o.Return <= cut || o.Op != HistoryOp.Read))
            .Select(o => (o.Return <= cut ? o : o with { Return = long.MaxValue }).ToEvent()).ToList(), initial: 0, maxStates: 20_000_000);
        int lo = 0, hi = returns.Length - 1;
        if (hi < 0 || Linearizable(returns[hi].Return)) return null;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (Linearizable(returns[mid].Return)) lo = mid + 1;
            else hi = mid;
        }
        return returns[lo];
    }

    /// <summary>The operations around <paramref name="op"/>: everything that overlaps the second before it up to its return.</summary>
    public static IEnumerable<JepsenOp> Around(IReadOnlyList<JepsenOp> ops, JepsenOp op) =>
        ops.Where(o => o.Invoke <= op.Return && (o.Unknown || o.Return >= op.Invoke - 1_000_000)).OrderBy(o => o.Invoke);

    /// <summary>
    /// The final value must come from a write that did not finish before some acknowledged write
    /// began: otherwise that acknowledged write (which the final state should reflect, or something
    /// later) was lost.
    /// </summary>
    public static IEnumerable<string> FinalState(IReadOnlyList<JepsenOp> ops, int final)
    {
        var acknowledged = ops.Where(o => o.AcknowledgedWrite).ToList();
        if (final == 0)
        {
            if (acknowledged.Count > 0) yield return $"key is absent at the end but {acknowledged.Count} writes were acknowledged, e.g. {acknowledged[^1]}";
            yield break;
        }
        var writer = ops.FirstOrDefault(o => o.Writes == final);
        if (writer is null)
        {
            yield return $"final value {final} was never written";
            yield break;
        }
        foreach (var lost in acknowledged.Where(a => a != writer && !writer.Unknown && writer.Return < a.Invoke))
            yield return $"acknowledged write lost: {lost} began after the final value's writer {writer} had returned";
    }

    /// <summary>A CAS that answered false must have had no effect: its value can never be read.</summary>
    public static IEnumerable<string> FalseCasHadNoEffect(IReadOnlyList<JepsenOp> ops) =>
        from cas in ops
        where cas.Op == HistoryOp.Cas && !cas.Unknown && !cas.CasOk
        let read = ops.FirstOrDefault(o => o.Op == HistoryOp.Read && o.ReadValue == cas.B)
        where read is not null
        select $"a CAS answered false yet took effect: {cas}\n  its value was read by: {read}";

    /// <summary>Each value sits at one ModifyIndex: a value seen at two indexes was applied twice.</summary>
    public static IEnumerable<string> OneIndexPerValue(IReadOnlyList<JepsenOp> ops) =>
        ops.Where(o => o.Op == HistoryOp.Read && o.ReadValue != 0)
            .GroupBy(o => o.ReadValue)
            .Where(g => g.Select(o => o.Index).Distinct().Count() > 1)
            .Select(g => $"value {g.Key} read at ModifyIndexes {string.Join(", ", g.Select(o => o.Index).Distinct())}");
}
