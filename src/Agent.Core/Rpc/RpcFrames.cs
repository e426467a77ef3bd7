using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Consul.Core.State;

namespace Consul.Core.Rpc;

/// <summary>What a server tells a replica: a full state, one applied command, or that it is still there.</summary>
public enum FeedFrameKind : byte { Snapshot = 1, Command = 2, Heartbeat = 3 }

/// <summary>
/// One frame of the replica feed. Snapshot: Index and the StateSnapshotCodec bytes. Command:
/// Index and the command bytes exactly as Raft applied them. Heartbeat: the server's view of
/// the leader, so a client agent's X-Consul-KnownLeader and LastContact stay honest.
/// </summary>
public sealed record FeedFrame(FeedFrameKind Kind, ulong Index, ReadOnlyMemory<byte> Data, string LeaderAddress = "", bool KnownLeader = false);

/// <summary>Encodings of the RPC frames (all integers big-endian).</summary>
public static class RpcFrames
{
    // feed frame: kind(1) index(8) knownLeader(1) leaderLen(2) leader(utf8) data(rest)
    public static byte[] Encode(FeedFrame f)
    {
        var leader = Encoding.UTF8.GetBytes(f.LeaderAddress);
        var buf = new byte[12 + leader.Length + f.Data.Length];
        buf[0] = (byte)f.Kind;
        BinaryPrimitives.WriteUInt64BigEndian(buf.AsSpan(1), f.Index);
        buf[9] = f.KnownLeader ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(buf.AsSpan(10), (ushort)leader.Length);
        leader.CopyTo(buf, 12);
        f.Data.Span.CopyTo(buf.AsSpan(12 + leader.Length));
        return buf;
    }

    public static FeedFrame DecodeFeedFrame(byte[] buf)
    {
        if (buf.Length < 12 || buf[0] is < 1 or > 3) throw new InvalidDataException("rpc: malformed feed frame");
        var leaderLen = BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(10));
        if (buf.Length < 12 + leaderLen) throw new InvalidDataException("rpc: malformed feed frame");
        return new FeedFrame((FeedFrameKind)buf[0], BinaryPrimitives.ReadUInt64BigEndian(buf.AsSpan(1)),
            buf.AsMemory(12 + leaderLen), Encoding.UTF8.GetString(buf, 12, leaderLen), buf[9] == 1);
    }

    public static byte[] EncodeIndex(ulong index)
    {
        var buf = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buf, index);
        return buf;
    }

    public static ulong DecodeIndex(byte[] buf) =>
        buf.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(buf) : throw new InvalidDataException("rpc: malformed index");

    /// <summary>Forward flag (1 byte) then the command: a forwarded request is not forwarded again.</summary>
    public static byte[] EncodeApply(ReadOnlySpan<byte> command, bool forwarded)
    {
        var buf = new byte[command.Length + 1];
        buf[0] = forwarded ? (byte)1 : (byte)0;
        command.CopyTo(buf.AsSpan(1));
        return buf;
    }

    public static (bool Forwarded, ReadOnlyMemory<byte> Command) DecodeApply(byte[] buf) =>
        buf.Length >= 1 ? (buf[0] == 1, buf.AsMemory(1)) : throw new InvalidDataException("rpc: empty apply request");

    private sealed record ApplyResultWire(ulong Index, string? Error, string Kind, bool Bool = false, string? Text = null, TxnOutcome? Txn = null);

    /// <summary>An apply result crosses the wire with its value's type: bool, string, txn outcome or none.</summary>
    public static byte[] Encode(ApplyResult r) => JsonSerializer.SerializeToUtf8Bytes(r.Value switch
    {
        null => new ApplyResultWire(r.Index, r.Error, "none"),
        bool b => new ApplyResultWire(r.Index, r.Error, "bool", Bool: b),
        string s => new ApplyResultWire(r.Index, r.Error, "string", Text: s),
        TxnOutcome t => new ApplyResultWire(r.Index, r.Error, "txn", Txn: t),
        var other => throw new InvalidOperationException($"rpc: cannot send an apply result of type {other.GetType().Name}"),
    });

    public static ApplyResult DecodeApplyResult(ReadOnlySpan<byte> buf)
    {
        var w = JsonSerializer.Deserialize<ApplyResultWire>(buf) ?? throw new InvalidDataException("rpc: empty apply result");
        object? value = w.Kind switch
        {
            "bool" => w.Bool,
            "string" => w.Text,
            "txn" => w.Txn,
            _ => null,
        };
        return new ApplyResult(w.Index, value, w.Error);
    }
}
