using System.Buffers.Binary;
using System.Text;

namespace Consul.Core.Raft;

/// <summary>Binary wire form of <see cref="RaftMessage"/> (snapshot data travels separately, in chunks).</summary>
public static class RaftMessageCodec
{
    private const byte Version = 1;

    public static byte[] Encode(RaftMessage m, bool includeSnapshotData = false)
    {
        using var ms = new MemoryStream();
        Write(ms, m, includeSnapshotData);
        return ms.ToArray();
    }

    /// <summary>The message behind its length (4 bytes, little-endian), as <see cref="TcpRaftTransport"/> frames it.</summary>
    public static byte[] EncodeFramed(RaftMessage m)
    {
        using var ms = new MemoryStream();
        ms.Write(stackalloc byte[4]);
        Write(ms, m, includeSnapshotData: false);
        var frame = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(frame, frame.Length - 4);
        return frame;
    }

    private static void Write(MemoryStream ms, RaftMessage m, bool includeSnapshotData)
    {
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write((byte)m.Type);
            w.Write(m.From);
            w.Write(m.To);
            w.Write(m.Term);
            w.Write(m.LogTerm);
            w.Write(m.Index);
            w.Write(m.Commit);
            w.Write(m.Reject);
            w.Write(m.RejectHint);
            w.Write(m.Context);
            w.Write(m.LeaseStamp);
            w.Write(m.Transfer);
            w.Write(m.Entries.Length);
            foreach (var e in m.Entries)
            {
                w.Write(e.Index);
                w.Write(e.Term);
                w.Write((byte)e.Type);
                w.Write(e.Data.Length);
                w.Write(e.Data);
            }
            w.Write(m.Snapshot is not null);
            if (m.Snapshot is { } s)
            {
                w.Write(s.Index);
                w.Write(s.Term);
                w.Write(s.ConfigurationIndex);
                var config = s.Configuration.Encode();
                w.Write(config.Length);
                w.Write(config);
            }
            var data = includeSnapshotData ? m.SnapshotData : null;
            w.Write(data?.Length ?? -1);
            if (data is not null) w.Write(data);
        }
    }

    public static RaftMessage Decode(byte[] bytes)
    {
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        if (r.ReadByte() != Version) throw new InvalidDataException("unknown raft message version");
        var type = (MessageType)r.ReadByte();
        var from = r.ReadString();
        var to = r.ReadString();
        var term = r.ReadUInt64();
        var logTerm = r.ReadUInt64();
        var index = r.ReadUInt64();
        var commit = r.ReadUInt64();
        var reject = r.ReadBoolean();
        var hint = r.ReadUInt64();
        var context = r.ReadUInt64();
        var stamp = r.ReadUInt64();
        var transfer = r.ReadBoolean();
        var entries = new LogEntry[r.ReadInt32()];
        for (var i = 0; i < entries.Length; i++)
        {
            var ei = r.ReadUInt64();
            var et = r.ReadUInt64();
            var ty = (EntryType)r.ReadByte();
            var data = r.ReadBytes(r.ReadInt32());
            entries[i] = new LogEntry(ei, et, ty, data);
        }
        SnapshotMeta? snap = null;
        if (r.ReadBoolean())
        {
            var si = r.ReadUInt64();
            var st = r.ReadUInt64();
            var sci = r.ReadUInt64();
            var config = RaftConfiguration.Decode(r.ReadBytes(r.ReadInt32()));
            snap = new SnapshotMeta(si, st, config, sci);
        }
        var len = r.ReadInt32();
        var snapData = len >= 0 ? r.ReadBytes(len) : null;
        return new RaftMessage
        {
            Type = type, From = from, To = to, Term = term, LogTerm = logTerm, Index = index, Commit = commit,
            Reject = reject, RejectHint = hint, Context = context, LeaseStamp = stamp, Transfer = transfer,
            Entries = entries, Snapshot = snap, SnapshotData = snapData,
        };
    }
}
