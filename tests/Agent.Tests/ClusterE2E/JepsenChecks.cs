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

    /// <summary>Each value sits at one ModifyIndex: a value seen at two indexes was applied twice.</summary>
    public static IEnumerable<string> OneIndexPerValue(IReadOnlyList<JepsenOp> ops) =>
        ops.Where(o => o.Op == HistoryOp.Read && o.ReadValue != 0)
            .GroupBy(o => o.ReadValue)
            .Where(g => g.Select(o => o.Index).Distinct().Count() > 1)
            .Select(g => $"value {g.Key} read at ModifyIndexes {string.Join(", ", g.Select(o => o.Index).Distinct())}");
}
