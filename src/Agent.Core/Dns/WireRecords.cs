using System.Buffers.Binary;

namespace Consul.Core.Dns;

/// <summary>Walks the records of an encoded message (names may be compressed).</summary>
internal static class WireRecords
{
    private const int HeaderSize = 12;
    private const ushort SoaType = 6;

    /// <summary>Where the serial of each SOA record sits, or null when the message does not parse.</summary>
    public static int[]? SoaSerialOffsets(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderSize) return null;
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..]) +
                      BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        var pos = HeaderSize;
        for (var i = 0; i < questions; i++)
        {
            if (!PacketGuard.SkipName(message, ref pos) || pos + 4 > message.Length) return null;
            pos += 4;
        }
        List<int>? offsets = null;
        for (var i = 0; i < records; i++)
        {
            if (!PacketGuard.SkipName(message, ref pos) || pos + 10 > message.Length) return null;
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[pos..]);
            var rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(pos + 8)..]);
            pos += 10;
            var end = pos + rdLength;
            if (end > message.Length) return null;
            if (type == SoaType)
            {
                var cursor = pos;
                // SOA RDATA: mname, rname, then serial, refresh, retry, expire, minimum.
                if (!PacketGuard.SkipName(message, ref cursor) || !PacketGuard.SkipName(message, ref cursor) || cursor + 20 > end) return null;
                (offsets ??= []).Add(cursor);
            }
            pos = end;
        }
        return pos == message.Length ? offsets?.ToArray() ?? [] : null;
    }
}
