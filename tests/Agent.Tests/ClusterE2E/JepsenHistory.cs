using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Consul.Tests.Raft.Sim;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// One KV operation as a worker saw it. Times are microseconds since the run began; an
/// indeterminate operation (timeout, 5xx, connection lost mid-request) has Return = long.MaxValue,
/// which the checker treats as "may take effect at any point after its call, or never".
/// Values are unique integers per run; 0 stands for "key absent".
/// </summary>
public sealed record JepsenOp(int Process, string Agent, string Key, HistoryOp Op, int A, int B, long Invoke, long Return,
    int ReadValue, bool CasOk, ulong Index, string Detail)
{
    public bool Unknown => Return == long.MaxValue;

    /// <summary>A write that certainly took effect: an acknowledged PUT or a CAS that answered true.</summary>
    public bool AcknowledgedWrite => !Unknown && (Op == HistoryOp.Write || (Op == HistoryOp.Cas && CasOk));

    /// <summary>The value this operation writes if it takes effect.</summary>
    public int? Writes => Op switch { HistoryOp.Write => A, HistoryOp.Cas => B, _ => null };

    public HistoryEvent ToEvent() => new(Process, Op, A, B, Invoke, Return, ReadValue, CasOk);

    public override string ToString()
    {
        var span = $"[{Invoke / 1000.0,9:F1} .. {(Unknown ? "?" : (Return / 1000.0).ToString("F1")),9}] ms";
        var what = Op switch
        {
            HistoryOp.Read => $"read() = {ReadValue} (ModifyIndex {Index})",
            HistoryOp.Write => $"write({A}){(Unknown ? " = ?" : "")}",
            _ => $"cas({A} @ModifyIndex {Index} -> {B}) = {(Unknown ? "?" : CasOk)}",
        };
        return $"{span} p{Process,-5} via {Agent,-3} {what}{(Detail.Length > 0 ? $"  ({Detail})" : "")}";
    }
}

/// <summary>Every operation of one run, thread-safe, with the run's clock.</summary>
public sealed class JepsenHistory
{
    private readonly ConcurrentQueue<JepsenOp> _ops = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Microseconds since the run began.</summary>
    public long Now() => _clock.Elapsed.Ticks / 10;

    public void Add(JepsenOp op) => _ops.Enqueue(op);

    public IReadOnlyList<JepsenOp> All => _ops.ToArray();

    public IReadOnlyList<JepsenOp> ForKey(string key) => _ops.Where(o => o.Key == key).OrderBy(o => o.Invoke).ToArray();

    public static string Format(IEnumerable<JepsenOp> ops)
    {
        var sb = new StringBuilder();
        foreach (var op in ops.OrderBy(o => o.Invoke)) sb.AppendLine(op.ToString());
        return sb.ToString();
    }

    public static string Summary(IReadOnlyCollection<JepsenOp> ops)
    {
        string Count(HistoryOp kind) =>
            $"{kind}: {ops.Count(o => o.Op == kind && !o.Unknown && (kind != HistoryOp.Cas || o.CasOk))} ok" +
            (kind == HistoryOp.Cas ? $", {ops.Count(o => o.Op == kind && !o.Unknown && !o.CasOk)} false" : "") +
            $", {ops.Count(o => o.Op == kind && o.Unknown)} indeterminate";
        return $"{ops.Count} ops; {Count(HistoryOp.Read)}; {Count(HistoryOp.Write)}; {Count(HistoryOp.Cas)}";
    }
}
