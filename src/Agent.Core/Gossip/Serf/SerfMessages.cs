using System.Text;
using Consul.Core.Gossip.Swim;

namespace Consul.Core.Gossip.Serf;

internal enum SerfMessageType : byte { Leave = 0, Join = 1, PushPull = 2, UserEvent = 3, KeyringOp = 10 }

internal sealed record JoinIntent(ulong LTime, string Node);
internal sealed record LeaveIntent(ulong LTime, string Node, bool Prune);
internal sealed record UserEventMessage(ulong LTime, string Name, byte[] Payload, bool Coalesce);
internal sealed record UserEventSlot(ulong LTime, List<(string Name, byte[] Payload)> Events);
internal sealed record SerfPushPull(ulong LTime, Dictionary<string, ulong> StatusLTimes, List<string> LeftMembers, ulong EventLTime, List<UserEventSlot> Events);

/// <summary>Binary encoding of Serf's messages (carried as SWIM user messages and push-pull state).</summary>
internal static class SerfCodec
{
    public static byte[] Encode(JoinIntent m) => Write(SerfMessageType.Join, w => { w.Write(m.LTime); w.Write(m.Node); });

    public static byte[] Encode(LeaveIntent m) => Write(SerfMessageType.Leave, w => { w.Write(m.LTime); w.Write(m.Node); w.Write(m.Prune); });

    public static byte[] Encode(UserEventMessage m) => Write(SerfMessageType.UserEvent, w =>
    {
        w.Write(m.LTime); w.Write(m.Name); WriteBlob(w, m.Payload); w.Write(m.Coalesce);
    });

    public static byte[] Encode(SerfPushPull m) => Write(SerfMessageType.PushPull, w =>
    {
        w.Write(m.LTime);
        w.Write7BitEncodedInt(m.StatusLTimes.Count);
        foreach (var (k, v) in m.StatusLTimes) { w.Write(k); w.Write(v); }
        w.Write7BitEncodedInt(m.LeftMembers.Count);
        foreach (var l in m.LeftMembers) w.Write(l);
        w.Write(m.EventLTime);
        w.Write7BitEncodedInt(m.Events.Count);
        foreach (var slot in m.Events)
        {
            w.Write(slot.LTime);
            w.Write7BitEncodedInt(slot.Events.Count);
            foreach (var (name, payload) in slot.Events) { w.Write(name); WriteBlob(w, payload); }
        }
    });

    public static SerfMessageType PeekType(byte[] msg)
        => msg.Length == 0 ? throw new GossipFormatException("empty serf message") : (SerfMessageType)msg[0];

    public static T Decode<T>(byte[] msg, Func<BinaryReader, T> read)
    {
        using var ms = new MemoryStream(msg, 1, msg.Length - 1, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try
        {
            var v = read(r);
            if (ms.Position != ms.Length) throw new GossipFormatException("trailing bytes in serf message");
            return v;
        }
        catch (EndOfStreamException) { throw new GossipFormatException("truncated serf message"); }
        catch (FormatException e) { throw new GossipFormatException(e.Message); }
    }

    public static JoinIntent ReadJoin(BinaryReader r) => new(r.ReadUInt64(), ReadString(r));
    public static LeaveIntent ReadLeave(BinaryReader r) => new(r.ReadUInt64(), ReadString(r), r.ReadBoolean());
    public static UserEventMessage ReadUserEvent(BinaryReader r) => new(r.ReadUInt64(), ReadString(r), ReadBlob(r), r.ReadBoolean());

    public static SerfPushPull ReadPushPull(BinaryReader r)
    {
        var ltime = r.ReadUInt64();
        var n = ReadCount(r);
        var status = new Dictionary<string, ulong>(Math.Min(n, 1024));
        for (var i = 0; i < n; i++) status[ReadString(r)] = r.ReadUInt64();
        var nl = ReadCount(r);
        var left = new List<string>(Math.Min(nl, 1024));
        for (var i = 0; i < nl; i++) left.Add(ReadString(r));
        var eventLTime = r.ReadUInt64();
        var ne = ReadCount(r);
        var slots = new List<UserEventSlot>(Math.Min(ne, 1024));
        for (var i = 0; i < ne; i++)
        {
            var lt = r.ReadUInt64();
            var c = ReadCount(r);
            var evs = new List<(string, byte[])>(Math.Min(c, 64));
            for (var j = 0; j < c; j++) evs.Add((ReadString(r), ReadBlob(r)));
            slots.Add(new UserEventSlot(lt, evs));
        }
        return new SerfPushPull(ltime, status, left, eventLTime, slots);
    }

    /// <summary>Tags travel as SWIM node meta: count, then key/value strings.</summary>
    public static byte[] EncodeTags(IReadOnlyDictionary<string, string> tags)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write7BitEncodedInt(tags.Count);
        foreach (var (k, v) in tags.OrderBy(t => t.Key, StringComparer.Ordinal)) { w.Write(k); w.Write(v); }
        w.Flush();
        return ms.ToArray();
    }

    public static Dictionary<string, string> DecodeTags(byte[] meta)
    {
        var tags = new Dictionary<string, string>();
        if (meta.Length == 0) return tags;
        using var ms = new MemoryStream(meta, writable: false);
        using var r = new BinaryReader(ms, Encoding.UTF8);
        try
        {
            var n = ReadCount(r);
            for (var i = 0; i < n; i++) tags[ReadString(r)] = ReadString(r);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or GossipFormatException)
        {
            // Undecodable tags are treated as none rather than dropping the member.
        }
        return tags;
    }

    private static byte[] Write(SerfMessageType type, Action<BinaryWriter> body)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write((byte)type);
        body(w);
        w.Flush();
        return ms.ToArray();
    }

    private static int ReadCount(BinaryReader r)
    {
        var n = r.Read7BitEncodedInt();
        if (n < 0 || n > r.BaseStream.Length - r.BaseStream.Position) throw new GossipFormatException("count exceeds message");
        return n;
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(ReadCount(r)));

    private static byte[] ReadBlob(BinaryReader r) => r.ReadBytes(ReadCount(r));

    private static void WriteBlob(BinaryWriter w, byte[] b) { w.Write7BitEncodedInt(b.Length); w.Write(b); }
}
