using System.Buffers.Binary;

namespace Consul.Core.Dns;

/// <summary>What to do with a raw packet before it reaches the message parser.</summary>
public enum PacketVerdict
{
    Accept,
    /// <summary>Too short to answer, or itself a response: answering could start a reflection loop.</summary>
    Drop,
    FormatError,
    NotImplemented,
}

/// <summary>
/// Vets raw queries before ARSoft parses them: header counts, label lengths, name length and
/// compression pointers (only backwards, bounded hops), section bounds. Queries carry one
/// question and at most one additional record, an OPT; anything else is FORMERR, other
/// opcodes NOTIMP, as Consul's DNS library (miekg/dns) answers by default.
/// </summary>
public static class PacketGuard
{
    private const int HeaderSize = 12;
    private const int MaxNameLength = 255;
    private const int MaxPointerHops = 32;
    private const ushort OptType = 41;

    public static PacketVerdict Check(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderSize) return PacketVerdict.Drop;
        if ((packet[2] & 0x80) != 0) return PacketVerdict.Drop;
        var opcode = (packet[2] >> 3) & 0x0F;
        if (opcode != 0) return PacketVerdict.NotImplemented;
        var qd = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var an = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var ns = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        var ar = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        if (qd != 1 || an != 0 || ns != 0 || ar > 1) return PacketVerdict.FormatError;

        var pos = HeaderSize;
        if (!SkipName(packet, ref pos) || pos + 4 > packet.Length) return PacketVerdict.FormatError;
        pos += 4;
        if (ar == 1)
        {
            if (!SkipName(packet, ref pos) || pos + 10 > packet.Length) return PacketVerdict.FormatError;
            var type = BinaryPrimitives.ReadUInt16BigEndian(packet[pos..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(pos + 8)..]);
            pos += 10;
            if (type != OptType || pos + rdLength > packet.Length || !OptionsWellFormed(packet.Slice(pos, rdLength)))
                return PacketVerdict.FormatError;
        }
        return PacketVerdict.Accept;
    }

    /// <summary>Advances past a (possibly compressed) name; false when it is malformed.</summary>
    internal static bool SkipName(ReadOnlySpan<byte> packet, ref int pos)
    {
        var cursor = pos;
        var length = 1;
        var hops = 0;
        var jumped = false;
        while (true)
        {
            if (cursor >= packet.Length) return false;
            var b = packet[cursor];
            if (b == 0)
            {
                if (!jumped) pos = cursor + 1;
                return true;
            }
            switch (b & 0xC0)
            {
                case 0xC0:
                    if (cursor + 1 >= packet.Length) return false;
                    var target = ((b & 0x3F) << 8) | packet[cursor + 1];
                    // Pointers must go backwards; with the hop bound this rules out loops.
                    if (target >= cursor || ++hops > MaxPointerHops) return false;
                    if (!jumped) pos = cursor + 2;
                    jumped = true;
                    cursor = target;
                    continue;
                case 0x00:
                    length += b + 1;
                    if (length > MaxNameLength || cursor + 1 + b > packet.Length) return false;
                    cursor += 1 + b;
                    continue;
                default:
                    return false; // 0x40/0x80: obsolete extended label types
            }
        }
    }

    private static bool OptionsWellFormed(ReadOnlySpan<byte> rdata)
    {
        var pos = 0;
        while (pos < rdata.Length)
        {
            if (pos + 4 > rdata.Length) return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(rdata[(pos + 2)..]);
            pos += 4 + length;
        }
        return pos == rdata.Length;
    }

    /// <summary>A header-only reply with the query's ID and the verdict's RCODE; null for Accept/Drop.</summary>
    public static byte[]? Reply(ReadOnlySpan<byte> packet, PacketVerdict verdict)
    {
        var rcode = verdict switch
        {
            PacketVerdict.FormatError => 1,
            PacketVerdict.NotImplemented => 4,
            _ => -1,
        };
        if (rcode < 0 || packet.Length < HeaderSize) return null;
        var reply = new byte[HeaderSize];
        reply[0] = packet[0];
        reply[1] = packet[1];
        // QR set; keep opcode and RD from the query.
        reply[2] = (byte)(0x80 | (packet[2] & 0x79));
        reply[3] = (byte)rcode;
        return reply;
    }
}
