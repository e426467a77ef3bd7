using System.Buffers.Binary;

namespace Consul.Tests.Raft.Sim;

/// <summary>Commands for the simulated register state machine.</summary>
public enum RegisterOp : byte { Write = 1, Cas = 2 }

/// <summary>A command as proposed by a simulated client: a unique id plus the register operation.</summary>
public readonly record struct RegisterCommand(long Id, RegisterOp Op, int A, int B)
{
    public byte[] Encode()
    {
        var b = new byte[17];
        b[0] = (byte)Op;
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(1), Id);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(9), A);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(13), B);
        return b;
    }

    public static RegisterCommand Decode(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadInt64LittleEndian(b[1..]), (RegisterOp)b[0],
            BinaryPrimitives.ReadInt32LittleEndian(b[9..]), BinaryPrimitives.ReadInt32LittleEndian(b[13..]));
}

/// <summary>A single integer register with write and compare-and-set.</summary>
public sealed class SimRegister
{
    public int Value { get; private set; }
    public ulong AppliedIndex { get; set; }

    /// <summary>Applies a command; returns true for writes and successful CAS.</summary>
    public bool Apply(RegisterCommand c)
    {
        if (c.Op == RegisterOp.Write) { Value = c.A; return true; }
        if (Value != c.A) return false;
        Value = c.B;
        return true;
    }

    public byte[] Snapshot()
    {
        var b = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(b, Value);
        BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(4), AppliedIndex);
        return b;
    }

    public void Restore(byte[] b)
    {
        Value = BinaryPrimitives.ReadInt32LittleEndian(b);
        AppliedIndex = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(4));
    }
}
