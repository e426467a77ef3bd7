using System.Buffers.Binary;
using System.Text;

namespace Consul.Core.Events;

/// <summary>
/// A Consul user event as it travels in a gossip user event: the serf name is
/// "consul:event:" + Name, and the payload carries the ID, the filters and the body.
/// Layout: version(1) id(16) then node, service and tag filters (u16 length + UTF-8 each), then the body.
/// </summary>
public static class UserEventCodec
{
    public const string NamePrefix = "consul:event:";
    private const byte Version = 1;

    public static string GossipName(UserEvent e) => NamePrefix + e.Name;

    public static byte[] Encode(UserEvent e)
    {
        using var ms = new MemoryStream();
        ms.WriteByte(Version);
        ms.Write(Guid.Parse(e.ID).ToByteArray(bigEndian: true));
        Span<byte> len = stackalloc byte[2];
        foreach (var filter in new[] { e.NodeFilter, e.ServiceFilter, e.TagFilter })
        {
            var bytes = Encoding.UTF8.GetBytes(filter);
            BinaryPrimitives.WriteUInt16BigEndian(len, (ushort)bytes.Length);
            ms.Write(len);
            ms.Write(bytes);
        }
        if (e.Payload is { } p) ms.Write(p);
        return ms.ToArray();
    }

    /// <summary>The event of a gossip user event, or null when it is not a Consul event or is malformed.</summary>
    public static UserEvent? Decode(string gossipName, ReadOnlySpan<byte> data, ulong ltime)
    {
        if (!gossipName.StartsWith(NamePrefix, StringComparison.Ordinal) || data.Length < 17 || data[0] != Version) return null;
        var id = new Guid(data.Slice(1, 16), bigEndian: true).ToString();
        var rest = data[17..];
        var filters = new string[3];
        for (var i = 0; i < 3; i++)
        {
            if (rest.Length < 2) return null;
            var len = BinaryPrimitives.ReadUInt16BigEndian(rest);
            if (rest.Length < 2 + len) return null;
            filters[i] = Encoding.UTF8.GetString(rest.Slice(2, len));
            rest = rest[(2 + len)..];
        }
        return new UserEvent
        {
            ID = id,
            Name = gossipName[NamePrefix.Length..],
            NodeFilter = filters[0],
            ServiceFilter = filters[1],
            TagFilter = filters[2],
            Payload = rest.Length == 0 ? null : rest.ToArray(),
            LTime = ltime,
        };
    }
}
