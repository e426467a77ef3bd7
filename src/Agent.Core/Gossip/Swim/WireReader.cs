using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Consul.Core.Gossip.Swim;

/// <summary>
/// Allocation-light reader for the wire format written by BinaryWriter (little-endian
/// integers, 7-bit-encoded lengths, UTF-8 strings). Every read is bounds-checked and
/// throws <see cref="GossipFormatException"/> instead of reading past the end.
/// </summary>
internal ref struct WireReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _pos;

    public readonly int Remaining => _data.Length - _pos;

    private ReadOnlySpan<byte> Take(int n)
    {
        if (n < 0 || n > Remaining) throw new GossipFormatException("truncated message");
        var s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => ReadByte() switch
    {
        0 => false,
        1 => true,
        var b => throw new GossipFormatException($"bad boolean {b}"),
    };

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    public int Read7BitLength()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            result |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                if (result > int.MaxValue || result > Remaining) throw new GossipFormatException("length exceeds message");
                return (int)result;
            }
        }
        throw new GossipFormatException("bad 7-bit length");
    }

    /// <summary>A count of items, each at least <paramref name="minItemSize"/> bytes: bounded by what is left.</summary>
    public int ReadCount(int minItemSize = 1)
    {
        var n = Read7BitLength();
        if ((long)n * minItemSize > Remaining) throw new GossipFormatException("count exceeds message");
        return n;
    }

    public string ReadString() => Encoding.UTF8.GetString(Take(Read7BitLength()));

    public byte[] ReadBlob() => Take(Read7BitLength()).ToArray();

    public ReadOnlySpan<byte> ReadFramed() => Take(Read7BitLength());

    public IPEndPoint ReadEndPoint()
    {
        var len = ReadByte();
        if (len is not (4 or 16)) throw new GossipFormatException($"bad address length {len}");
        var ip = new IPAddress(Take(len));
        return new IPEndPoint(ip, ReadUInt16());
    }
}
