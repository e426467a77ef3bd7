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
        using var ms = new MemoryStream(packet[PacketHeader..].ToArray(), writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var len = ReadLength(r);
                var body = r.ReadBytes(len);
                result.Add(DecodeMessage(body));
            }
            if (ms.Position != ms.Length) throw new GossipFormatException("trailing bytes after messages");
        }
        catch (EndOfStreamException) { throw new GossipFormatException("truncated packet"); }
        catch (FormatException e) { throw new GossipFormatException("malformed field: " + e.Message); }
        catch (DecoderFallbackException) { throw new GossipFormatException("invalid UTF-8"); }
        return result;
    }

    private static SwimMessage DecodeMessage(byte[] body)
    {
        if (body.Length == 0) throw new GossipFormatException("empty message");
        var type = (SwimMessageType)body[0];
        if (type == SwimMessageType.User) return new UserMessage(body[1..]);
        using var ms = new MemoryStream(body, 1, body.Length - 1, writable: false);
        using var r = new BinaryReader(ms, new UTF8Encoding(false, throwOnInvalidBytes: true));
        SwimMessage m = type switch
        {
            SwimMessageType.Ping => new PingMessage(r.ReadUInt32(), ReadString(r), ReadEndPoint(r), ReadString(r)),
            SwimMessageType.IndirectPing => new IndirectPingMessage(r.ReadUInt32(), ReadString(r), ReadEndPoint(r), r.ReadBoolean(), ReadEndPoint(r), ReadString(r)),
            SwimMessageType.Ack => new AckMessage(r.ReadUInt32(), ReadBlob(r)),
            SwimMessageType.Nack => new NackMessage(r.ReadUInt32()),
            SwimMessageType.Suspect => new SuspectMessage(r.ReadUInt32(), ReadString(r), ReadString(r)),
            SwimMessageType.Alive => new AliveMessage(r.ReadUInt32(), ReadString(r), ReadEndPoint(r), ReadBlob(r), ReadBlob(r)),
            SwimMessageType.Dead => new DeadMessage(r.ReadUInt32(), ReadString(r), ReadString(r)),
            SwimMessageType.PushPull => ReadPushPull(r),
            _ => throw new GossipFormatException($"unknown message type {(byte)type}"),
        };
        if (ms.Position != ms.Length) throw new GossipFormatException($"trailing bytes in {type} message");
        return m;
    }

    private static PushPullMessage ReadPushPull(BinaryReader r)
    {
        var seq = r.ReadUInt32();
        var join = r.ReadBoolean();
        var reply = r.ReadBoolean();
        var source = ReadEndPoint(r);
        var n = ReadLength(r);
        var nodes = new List<PushNodeState>(Math.Min(n, 1024));
        for (var i = 0; i < n; i++)
        {
            var name = ReadString(r);
            var addr = ReadEndPoint(r);
            var meta = ReadBlob(r);
            var inc = r.ReadUInt32();
            var state = r.ReadByte();
            if (state > (byte)NodeStateKind.Left) throw new GossipFormatException($"bad node state {state}");
            nodes.Add(new PushNodeState(name, addr, meta, inc, (NodeStateKind)state, ReadBlob(r)));
        }
        return new PushPullMessage(seq, join, reply, source, nodes, ReadBlob(r));
    }

    private static int ReadLength(BinaryReader r)
    {
        var len = r.Read7BitEncodedInt();
        if (len < 0 || len > r.BaseStream.Length - r.BaseStream.Position)
            throw new GossipFormatException("length exceeds packet");
        return len;
    }

    private static string ReadString(BinaryReader r)
    {
        var len = ReadLength(r);
        return Encoding.UTF8.GetString(r.ReadBytes(len));
    }

    private static byte[] ReadBlob(BinaryReader r) => r.ReadBytes(ReadLength(r));

    private static void WriteBlob(BinaryWriter w, byte[] b) { w.Write7BitEncodedInt(b.Length); w.Write(b); }

    private static void WriteEndPoint(BinaryWriter w, IPEndPoint ep)
    {
        var bytes = ep.Address.GetAddressBytes();
        w.Write((byte)bytes.Length); w.Write(bytes); w.Write((ushort)ep.Port);
    }

    private static IPEndPoint ReadEndPoint(BinaryReader r)
    {
        var len = r.ReadByte();
        if (len is not (4 or 16)) throw new GossipFormatException($"bad address length {len}");
        var bytes = r.ReadBytes(len);
        if (bytes.Length != len) throw new EndOfStreamException();
        return new IPEndPoint(new IPAddress(bytes), r.ReadUInt16());
    }
}
