using System.Buffers.Binary;

namespace Consul.Core.Dns;

/// <summary>
/// Rewrites an encoded message with every compression pointer expanded, for dns_config
/// <c>disable_compression</c>: ARSoft always compresses when encoding and keeps its encoder
/// internal. Names are expanded in owner names and in the RDATA of the types RFC 1035/3597
/// allow to be compressed (and SRV, which some encoders compress anyway).
/// </summary>
internal static class NameDecompressor
{
    private const int MaxHops = 64;

    public static byte[] Expand(ReadOnlySpan<byte> message)
    {
        if (message.Length < 12) return message.ToArray();
        var output = new List<byte>(message.Length * 2);
        output.AddRange(message[..12]);
        var pos = 12;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..]) +
                      BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        for (var i = 0; i < questions; i++)
        {
            CopyName(message, ref pos, output);
            output.AddRange(message.Slice(pos, 4));
            pos += 4;
        }
        for (var i = 0; i < records; i++)
        {
            CopyName(message, ref pos, output);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            output.AddRange(message.Slice(pos, 8)); // type, class, ttl
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            var rdata = message.Slice(pos, rdLength);
            var lengthAt = output.Count;
            output.AddRange([0, 0]);
            var start = output.Count;
            ExpandRdata(message, pos, rdata, type, output);
            var written = output.Count - start;
            output[lengthAt] = (byte)(written >> 8);
            output[lengthAt + 1] = (byte)written;
            pos += rdLength;
        }
        return output.ToArray();
    }

    private static void ExpandRdata(ReadOnlySpan<byte> message, int pos, ReadOnlySpan<byte> rdata, ushort type, List<byte> output)
    {
        var (prefix, names, suffix) = type switch
        {
            2 or 3 or 4 or 5 or 7 or 8 or 9 or 12 => (0, 1, 0), // NS, MD, MF, CNAME, MB, MG, MR, PTR
            6 => (0, 2, 20),   // SOA: mname, rname, five 32-bit values
            15 => (2, 1, 0),   // MX: preference, exchange
            33 => (6, 1, 0),   // SRV: priority, weight, port, target
            _ => (-1, 0, 0),
        };
        if (prefix < 0)
        {
            output.AddRange(rdata);
            return;
        }
        output.AddRange(message.Slice(pos, prefix));
        var cursor = pos + prefix;
        for (var n = 0; n < names; n++) CopyName(message, ref cursor, output);
        output.AddRange(message.Slice(cursor, suffix));
    }

    /// <summary>Writes the name at <paramref name="pos"/> uncompressed and moves past it.</summary>
    private static void CopyName(ReadOnlySpan<byte> message, ref int pos, List<byte> output)
    {
        var cursor = pos;
        var jumped = false;
        for (var hops = 0; hops <= MaxHops;)
        {
            var b = message[cursor];
            if (b == 0)
            {
                output.Add(0);
                if (!jumped) pos = cursor + 1;
                return;
            }
            if ((b & 0xC0) == 0xC0)
            {
                if (!jumped) pos = cursor + 2;
                jumped = true;
                cursor = ((b & 0x3F) << 8) | message[cursor + 1];
                hops++;
                continue;
            }
            output.AddRange(message.Slice(cursor, b + 1));
            cursor += b + 1;
        }
        throw new FormatException("compression pointer loop");
    }
}
