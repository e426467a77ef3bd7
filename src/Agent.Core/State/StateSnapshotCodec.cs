using System.Buffers.Binary;
using System.Collections.Immutable;
using System.IO.Hashing;
using System.Text.Json;

namespace Consul.Core.State;

/// <summary>
/// Writes and reads a whole <see cref="StateSnapshot"/>: Raft snapshots and a client
/// replica's initial sync. Layout: 8-byte magic, u32 format version, u64 body length,
/// the body (UTF-8 JSON of <see cref="SnapshotDocument"/>), u64 XxHash64 of the body; all
/// integers little-endian. The output is canonical: equal states give equal bytes, which
/// is what replicas compare.
/// </summary>
public static class StateSnapshotCodec
{
    public const uint CurrentVersion = 1;
    private static ReadOnlySpan<byte> Magic => "CWSTATE\n"u8;
    private const int HeaderLength = 8 + 4 + 8;

    public static void Write(StateSnapshot snapshot, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(destination);
        var body = JsonSerializer.SerializeToUtf8Bytes(SnapshotDocument.From(snapshot), SnapshotJsonContext.Default.SnapshotDocument);
        Span<byte> header = stackalloc byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], CurrentVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], (ulong)body.Length);
        destination.Write(header);
        destination.Write(body);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(trailer, XxHash64.HashToUInt64(body));
        destination.Write(trailer);
    }

    public static byte[] ToBytes(StateSnapshot snapshot)
    {
        using var ms = new MemoryStream();
        Write(snapshot, ms);
        return ms.ToArray();
    }

    /// <summary>Reads a snapshot written by <see cref="Write"/>; anything else (wrong magic, unknown
    /// version, truncation, checksum mismatch, malformed body) is an <see cref="InvalidDataException"/>.</summary>
    public static StateSnapshot Read(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> header = stackalloc byte[HeaderLength];
        ReadExactly(source, header, "header");
        if (!header[..8].SequenceEqual(Magic))
            throw new InvalidDataException("state snapshot: not a Consul.Web state snapshot (bad magic)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != CurrentVersion)
            throw new InvalidDataException($"state snapshot: unsupported format version {version} (this agent reads version {CurrentVersion})");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(header[12..]);
        if (length > (ulong)Array.MaxLength || (source.CanSeek && length > (ulong)Math.Max(0, source.Length - source.Position)))
            throw new InvalidDataException($"state snapshot: truncated or corrupt (body length {length})");
        var body = new byte[(int)length];
        ReadExactly(source, body, "body");
        Span<byte> trailer = stackalloc byte[8];
        ReadExactly(source, trailer, "checksum");
        if (BinaryPrimitives.ReadUInt64LittleEndian(trailer) != XxHash64.HashToUInt64(body))
            throw new InvalidDataException("state snapshot: checksum mismatch, the data is corrupt");

        SnapshotDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize(body, SnapshotJsonContext.Default.SnapshotDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"state snapshot: malformed body ({e.Message})", e);
        }
        if (doc is null) throw new InvalidDataException("state snapshot: empty body");
        try
        {
            return doc.ToSnapshot();
        }
        catch (ArgumentException e)
        {
            // Duplicate keys under a table's comparer, e.g. two node names differing only in case.
            throw new InvalidDataException($"state snapshot: inconsistent tables ({e.Message})", e);
        }
    }

    public static StateSnapshot FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var ms = new MemoryStream(bytes.ToArray(), writable: false);
        return Read(ms);
    }

    private static void ReadExactly(Stream source, Span<byte> buffer, string what)
    {
        try
        {
            source.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"state snapshot: truncated (stream ended inside the {what})", e);
        }
    }
}
