using Consul.Tests.Raft.Sim;

namespace Consul.Tests.Raft.Linearizability;

/// <summary>
/// Wing–Gong linearizability check with Lowe's memoization (the algorithm Porcupine uses)
/// for a single integer register with read, write and compare-and-set. Operations whose
/// outcome is unknown never return, so they may take effect at any point after their
/// call, or not at all (linearized after everything else).
/// </summary>
public static class RegisterLinearizability
{
    private sealed class Node
    {
        public int Op = -1;
        public bool IsCall;
        public long Time;
        public Node? Match;
        public Node? Prev, Next;
    }

    public static bool Check(IReadOnlyList<HistoryEvent> history, int initial = 0, int maxStates = 5_000_000)
    {
        var n = history.Count;
        if (n == 0) return true;
        // Calls before returns at equal times: treat touching operations as concurrent.
        var events = new List<Node>(2 * n);
        for (var i = 0; i < n; i++)
        {
            var call = new Node { Op = i, IsCall = true, Time = history[i].Invoke };
            var ret = new Node { Op = i, IsCall = false, Time = history[i].Return };
            call.Match = ret;
            events.Add(call);
            events.Add(ret);
        }
        events.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : (a.IsCall ? 0 : 1).CompareTo(b.IsCall ? 0 : 1));
        var head = new Node();
        var prev = head;
        foreach (var e in events) { prev.Next = e; e.Prev = prev; prev = e; }

        var words = (n + 63) / 64;
        var linearized = new ulong[words];
        var cache = new HashSet<(string Bits, int State)>();
        var calls = new Stack<(Node Entry, int State)>();
        var state = initial;
        var entry = head.Next;
        var explored = 0;
        while (head.Next is not null)
        {
            if (++explored > maxStates) throw new TimeoutException($"linearizability search exceeded {maxStates} steps on {n} operations");
            if (entry!.IsCall)
            {
                var op = history[entry.Op];
                if (TryStep(op, state, out var next))
                {
                    linearized[entry.Op / 64] |= 1UL << (entry.Op % 64);
                    if (cache.Add((Key(linearized), next)))
                    {
                        calls.Push((entry, state));
                        state = next;
                        Lift(entry);
                        entry = head.Next;
                        continue;
                    }
                    linearized[entry.Op / 64] &= ~(1UL << (entry.Op % 64));
                }
                entry = entry.Next;
            }
            else
            {
                // An operation returned before we could linearize it: undo the last choice.
                if (calls.Count == 0) return false;
                var (top, before) = calls.Pop();
                state = before;
                linearized[top.Op / 64] &= ~(1UL << (top.Op % 64));
                Unlift(top);
                entry = top.Next;
            }
        }
        return true;
    }

    private static string Key(ulong[] bits) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(bits.AsSpan()));

    private static bool TryStep(HistoryEvent op, int state, out int next)
    {
        next = state;
        switch (op.Op)
        {
            case HistoryOp.Read:
                return op.ReadValue == state;
            case HistoryOp.Write:
                next = op.A;
                return true;
            default:
                if (op.Unknown) { next = state == op.A ? op.B : state; return true; }
                if ((state == op.A) != op.CasOk) return false;
                if (op.CasOk) next = op.B;
                return true;
        }
    }

    private static void Lift(Node call)
    {
        call.Prev!.Next = call.Next;
        call.Next!.Prev = call.Prev;
        var ret = call.Match!;
        ret.Prev!.Next = ret.Next;
        if (ret.Next is not null) ret.Next.Prev = ret.Prev;
    }

    private static void Unlift(Node call)
    {
        var ret = call.Match!;
        ret.Prev!.Next = ret;
        if (ret.Next is not null) ret.Next.Prev = ret;
        call.Prev!.Next = call;
        call.Next!.Prev = call;
    }
}
