namespace Consul.Tests.Raft.Sim;

public enum HistoryOp { Read, Write, Cas }

/// <summary>
/// One client operation for the linearizability checker. Return is long.MaxValue when the
/// outcome is unknown (the write may or may not have taken effect).
/// </summary>
public sealed record HistoryEvent(int Client, HistoryOp Op, int A, int B, long Invoke, long Return, int ReadValue, bool CasOk)
{
    public bool Unknown => Return == long.MaxValue;
    public override string ToString() => Op switch
    {
        HistoryOp.Read => $"c{Client} read()={ReadValue} [{Invoke},{Return}]",
        HistoryOp.Write => $"c{Client} write({A}) [{Invoke},{(Unknown ? "?" : Return)}]",
        _ => $"c{Client} cas({A},{B})={(Unknown ? "?" : CasOk)} [{Invoke},{(Unknown ? "?" : Return)}]",
    };
}
