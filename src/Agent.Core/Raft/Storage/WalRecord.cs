using System.Buffers.Binary;
using System.IO.Hashing;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// Framing of one write-ahead-log record: u32 body length, u32 CRC-32 of the body, body.
/// The checksum lets start-up tell a torn or corrupted tail from good data.
/// </summary>
internal static class WalRecord
{
    public const int HeaderSize = 8;
    public const int MaxBodySize = 64 << 20;

    public const byte KindEntry = 1;
    /// <summary>Segment header: the log before this segment ended at (index, term).</summary>
    public const byte KindBase = 2;
    /// <summary>Everything before is void; the log is empty after (index, term) (snapshot installed).</summary>
    public const byte KindReset = 3;

    public static byte[] Entry(LogEntry e)
    {
        var body = new byte[1 + 8 + 8 + 1 + e.Data.Length];
        body[0] = KindEntry;
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(1), e.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(9), e.Term);
        body[17] = (byte)e.Type;
        e.Data.CopyTo(body, 18);
        return Frame(body);
    }

    public static byte[] Marker(byte kind, ulong index, ulong term)
    {
        var body = new byte[17];
        body[0] = kind;
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(1), index);
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(9), term);
        return Frame(body);
    }

    private static byte[] Frame(byte[] body)
    {
        var rec = new byte[HeaderSize + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Crc32.HashToUInt32(body));
        body.CopyTo(rec, HeaderSize);
        return rec;
    }

    /// <summary>
    /// Reads the next record's body; null at a clean end (end of file, or an all-zero header:
    /// the unwritten preallocated part of a segment), a torn write or a bad checksum.
    /// </summary>
    public static byte[]? TryRead(Stream s, out bool cleanEnd)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        var n = s.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false);
        cleanEnd = n == 0;
        if (n < HeaderSize) return null;
        var len = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        cleanEnd = len == 0 && crc == 0;
        if (len == 0 || len > MaxBodySize) return null;
        var body = new byte[len];
        if (s.ReadAtLeast(body, (int)len, throwOnEndOfStream: false) < len) return null;
        return Crc32.HashToUInt32(body) == crc ? body : null;
    }

    public static LogEntry DecodeEntry(byte[] body) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1)),
        BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(9)),
        (EntryType)body[17],
        body.AsSpan(18).ToArray());

    public static (ulong Index, ulong Term) DecodeMarker(byte[] body) => (
        BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1)),
        BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(9)));
}
