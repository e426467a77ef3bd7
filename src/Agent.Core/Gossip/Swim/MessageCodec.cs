using System.Net;
using System.Text;

namespace Consul.Core.Gossip.Swim;

/// <summary>A packet we could not decode: truncated, wrong version, unknown type, garbage.</summary>
public sealed class GossipFormatException(string message) : Exception(message);

/// <summary>
/// Binary encoding of SWIM messages. A packet is: version byte, message count, then for
/// each message a 7-bit-encoded length and the message (type byte + body). Every length
/// read from the wire is checked against what is left, so garbage never allocates much.
/// </summary>
public static class MessageCodec
{
    public const byte WireVersion = 1;
    /// <summary>Bytes a packet spends besides its messages.</summary>
    public const int PacketHeader = 2;
    /// <summary>Worst-case per-message framing overhead within a UDP-sized packet.</summary>
    public const int PerMessageOverhead = 2;
    public const int MaxMessagesPerPacket = 255;

    public static byte[] EncodeMessage(SwimMessage m)
    {
        using var ms = new MemoryStream(64);
        using var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true);
        w.Write((byte)m.Type);
        switch (m)
        {
            case PingMessage p:
                w.Write(p.SeqNo); w.Write(p.Target); WriteEndPoint(w, p.Source); w.Write(p.SourceNode);
                break;
            case IndirectPingMessage p:
                w.Write(p.SeqNo); w.Write(p.Target); WriteEndPoint(w, p.TargetAddress); w.Write(p.WantNack);
                WriteEndPoint(w, p.Source); w.Write(p.SourceNode);
                break;
            case AckMessage a:
                w.Write(a.SeqNo); WriteBlob(w, a.Payload);
                break;
            case NackMessage n:
                w.Write(n.SeqNo);
                break;
            case SuspectMessage s:
                w.Write(s.Incarnation); w.Write(s.Node); w.Write(s.From);
                break;
            case AliveMessage a:
                w.Write(a.Incarnation); w.Write(a.Node); WriteEndPoint(w, a.Address); WriteBlob(w, a.Meta); WriteBlob(w, a.Vsn);
                break;
            case DeadMessage d:
                w.Write(d.Incarnation); w.Write(d.Node); w.Write(d.From);
                break;
            case PushPullMessage pp:
                w.Write(pp.SeqNo); w.Write(pp.Join); w.Write(pp.IsReply); WriteEndPoint(w, pp.Source);
                w.Write7BitEncodedInt(pp.Nodes.Count);
                foreach (var n in pp.Nodes)
                {
                    w.Write(n.Name); WriteEndPoint(w, n.Address); WriteBlob(w, n.Meta); w.Write(n.Incarnation);
                    w.Write((byte)n.State); WriteBlob(w, n.Vsn);
                }
                WriteBlob(w, pp.UserState);
                break;
            case UserMessage u:
                ms.Write(u.Payload);
                break;
            default:
                throw new ArgumentException($"unknown message {m.GetType().Name}");
        }
        w.Flush();
        return ms.ToArray();
    }

    /// <summary>Packs already-encoded messages into one packet.</summary>
    public static byte[] Pack(IReadOnlyList<byte[]> messages)
    {
        if (messages.Count is 0 or > MaxMessagesPerPacket) throw new ArgumentException("a packet holds 1..255 messages");
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write(WireVersion);
        w.Write((byte)messages.Count);
        foreach (var m in messages) { w.Write7BitEncodedInt(m.Length); w.Write(m); }
        w.Flush();
        return ms.ToArray();
    }

    public static byte[] Encode(SwimMessage m) => Pack([EncodeMessage(m)]);

    /// <summary>Size a message adds to a packet.</summary>
    public static int FramedSize(int messageLength) => messageLength + (messageLength < 128 ? 1 : messageLength < 16384 ? 2 : 3);

    /// <summary>Decodes a packet into its messages; throws <see cref="GossipFormatException"/> on anything malformed.</summary>
    public static List<SwimMessage> Decode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < PacketHeader) throw new GossipFormatException("packet too short");
        if (packet[0] != WireVersion) throw new GossipFormatException($"unsupported wire version {packet[0]}");
        var count = packet[1];
        if (count == 0) throw new GossipFormatException("empty packet");
        var result = new List<SwimMessage>(count);
        var r = new WireReader(packet[PacketHeader..]);
        for (var i = 0; i < count; i++) result.Add(DecodeMessage(r.ReadFramed()));
        if (r.Remaining != 0) throw new GossipFormatException("trailing bytes after messages");
        return result;
    }

    private static SwimMessage DecodeMessage(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0) throw new GossipFormatException("empty message");
        var type = (SwimMessageType)body[0];
        if (type == SwimMessageType.User) return new UserMessage(body[1..].ToArray());
        var r = new WireReader(body[1..]);
        SwimMessage m = type switch
        {
            SwimMessageType.Ping => new PingMessage(r.ReadUInt32(), r.ReadString(), r.ReadEndPoint(), r.ReadString()),
            SwimMessageType.IndirectPing => new IndirectPingMessage(r.ReadUInt32(), r.ReadString(), r.ReadEndPoint(), r.ReadBoolean(), r.ReadEndPoint(), r.ReadString()),
            SwimMessageType.Ack => new AckMessage(r.ReadUInt32(), r.ReadBlob()),
            SwimMessageType.Nack => new NackMessage(r.ReadUInt32()),
            SwimMessageType.Suspect => new SuspectMessage(r.ReadUInt32(), r.ReadString(), r.ReadString()),
            SwimMessageType.Alive => new AliveMessage(r.ReadUInt32(), r.ReadString(), r.ReadEndPoint(), r.ReadBlob(), r.ReadBlob()),
            SwimMessageType.Dead => new DeadMessage(r.ReadUInt32(), r.ReadString(), r.ReadString()),
            SwimMessageType.PushPull => ReadPushPull(ref r),
            _ => throw new GossipFormatException($"unknown message type {(byte)type}"),
        };
        if (r.Remaining != 0) throw new GossipFormatException($"trailing bytes in {type} message");
        return m;
    }

    private static PushPullMessage ReadPushPull(ref WireReader r)
    {
        var seq = r.ReadUInt32();
        var join = r.ReadBoolean();
        var reply = r.ReadBoolean();
        var source = r.ReadEndPoint();
        // A node state takes at least 14 bytes on the wire.
        var n = r.ReadCount(14);
        var nodes = new List<PushNodeState>(n);
        for (var i = 0; i < n; i++)
        {
            var name = r.ReadString();
            var addr = r.ReadEndPoint();
            var meta = r.ReadBlob();
            var inc = r.ReadUInt32();
            var state = r.ReadByte();
            if (state > (byte)NodeStateKind.Left) throw new GossipFormatException($"bad node state {state}");
            nodes.Add(new PushNodeState(name, addr, meta, inc, (NodeStateKind)state, r.ReadBlob()));
        }
        return new PushPullMessage(seq, join, reply, source, nodes, r.ReadBlob());
    }

    private static void WriteBlob(BinaryWriter w, byte[] b) { w.Write7BitEncodedInt(b.Length); w.Write(b); }

    private static void WriteEndPoint(BinaryWriter w, IPEndPoint ep)
    {
        var bytes = ep.Address.GetAddressBytes();
        w.Write((byte)bytes.Length); w.Write(bytes); w.Write((ushort)ep.Port);
    }

}
