using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// State-machine snapshots as files: header (index, term, configuration), data, and an
/// XxHash64 of everything before it. Written to a temp file and renamed, so a crash never
/// leaves a half snapshot under a real name; the newest <c>retain</c> are kept.
/// </summary>
public sealed class SnapshotStore
{
    private const string Extension = ".snap";
    private static readonly byte[] Magic = "CWSNAP01"u8.ToArray();

    private readonly string _dir;
    private readonly int _retain;
    private readonly ILogger _log;

    public SnapshotStore(string dir, int retain = 2, ILogger? logger = null)
    {
        _dir = dir;
        _retain = Math.Max(1, retain);
        _log = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(dir);
        foreach (var tmp in Directory.GetFiles(dir, "*.tmp")) File.Delete(tmp);
    }

    private string PathOf(SnapshotMeta meta) =>
        Path.Combine(_dir, string.Create(CultureInfo.InvariantCulture, $"{meta.Term:D20}-{meta.Index:D20}{Extension}"));

    public void Save(SnapshotMeta meta, byte[] data)
    {
        var config = meta.Configuration.Encode();
        var header = new byte[Magic.Length + 8 + 8 + 8 + 4 + config.Length + 8];
        var o = 0;
        Magic.CopyTo(header, 0); o += Magic.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(o), meta.Index); o += 8;
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(o), meta.Term); o += 8;
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(o), meta.ConfigurationIndex); o += 8;
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(o), config.Length); o += 4;
        config.CopyTo(header, o); o += config.Length;
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(o), data.LongLength);
        var hash = new XxHash64();
        hash.Append(header);
        hash.Append(data);
        try
        {
            AtomicFile.Write(PathOf(meta), s =>
            {
                s.Write(header);
                s.Write(data);
                s.Write(hash.GetCurrentHash());
            });
        }
        catch (IOException e) { throw new RaftStorageException($"raft: could not save snapshot ({e.Message})", e); }
        Prune();
    }

    /// <summary>Newest intact snapshot; corrupt ones are skipped with a warning.</summary>
    public (SnapshotMeta Meta, byte[] Data)? LoadLatest()
    {
        foreach (var path in List().Reverse())
        {
            var loaded = TryRead(path);
            if (loaded is not null) return loaded;
            _log.LogWarning("raft: snapshot {Path} is corrupt (checksum or format); trying an older one", path);
        }
        return null;
    }

    private IEnumerable<string> List() =>
        Directory.GetFiles(_dir, "*" + Extension).OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .OrderBy(p => ulong.Parse(Path.GetFileNameWithoutExtension(p).Split('-')[1], CultureInfo.InvariantCulture));

    private static (SnapshotMeta, byte[])? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < Magic.Length + 36 + 8 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
            var body = bytes.AsSpan(0, bytes.Length - 8);
            if (!XxHash64.Hash(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 8))) return null;
            var o = Magic.Length;
            var index = BinaryPrimitives.ReadUInt64LittleEndian(body[o..]); o += 8;
            var term = BinaryPrimitives.ReadUInt64LittleEndian(body[o..]); o += 8;
            var configIndex = BinaryPrimitives.ReadUInt64LittleEndian(body[o..]); o += 8;
            var configLen = BinaryPrimitives.ReadInt32LittleEndian(body[o..]); o += 4;
            var config = RaftConfiguration.Decode(body.Slice(o, configLen)); o += configLen;
            var dataLen = BinaryPrimitives.ReadInt64LittleEndian(body[o..]); o += 8;
            if (o + dataLen != body.Length) return null;
            return (new SnapshotMeta(index, term, config, configIndex), body[o..].ToArray());
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or EndOfStreamException)
        {
            return null;
        }
    }

    private void Prune()
    {
        foreach (var old in List().Reverse().Skip(_retain))
        {
            try { File.Delete(old); }
            catch (IOException e) { _log.LogWarning(e, "raft: could not delete old snapshot {Path}", old); }
        }
    }

    public int Count => List().Count();
}
