using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Raft.Storage;

/// <summary>What the write-ahead log held at start-up.</summary>
public sealed record WalContents(ulong BaseIndex, ulong BaseTerm, IReadOnlyList<LogEntry> Entries);

/// <summary>
/// The Raft log on disk: append-only segment files of checksummed records. Overwriting a
/// conflicting suffix is an append of the replacement (replay keeps the latest), so a
/// segment is never rewritten; compaction deletes whole old segments. A write or fsync
/// failure poisons the log: every later write throws instead of pretending to persist.
/// New segments are preallocated to their full size (zero-filled as far as readers can
/// tell) so that a sync is an fdatasync with no size change to commit (<see cref="FileSync"/>);
/// an all-zero record header marks the end of the written part, and a segment is cut to
/// its written length when it is closed or rolled over.
/// </summary>
public sealed class SegmentedWal : IDisposable
{
    private const string Extension = ".wal";

    private readonly string _dir;
    private readonly long _segmentBytes;
    private readonly ILogger _log;
    private readonly Func<string, Stream> _openForAppend;
    private readonly bool _preallocate;
    private readonly List<(long Seq, ulong BaseIndex)> _segments = new();
    private Stream? _current;
    private bool _currentPreallocated;
    private long _currentSize;
    private ulong _lastIndex, _lastTerm;
    private Exception? _failure;

    /// <param name="openForAppend">Test seam for failing disks; defaults to a FileStream opened for append.</param>
    public SegmentedWal(string dir, long segmentBytes = 64 << 20, ILogger? logger = null, Func<string, Stream>? openForAppend = null)
    {
        _dir = dir;
        _segmentBytes = segmentBytes;
        _log = logger ?? NullLogger.Instance;
        _preallocate = openForAppend is null;
        _openForAppend = openForAppend ?? (path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16));
        Directory.CreateDirectory(dir);
    }

    /// <summary>Set once a write failed; the log then refuses further writes.</summary>
    public Exception? Failure => _failure;
    public ulong LastIndex => _lastIndex;
    public int SegmentCount => _segments.Count;

    private string PathOf(long seq) => Path.Combine(_dir, seq.ToString("D20", CultureInfo.InvariantCulture) + Extension);

    /// <summary>
    /// Replays all segments. A torn or corrupt record in the last segment is cut off (with a
    /// warning); in an earlier segment it means lost acknowledged data, so start-up fails.
    /// </summary>
    public WalContents Load()
    {
        // Loading again (e.g. after a bootstrap check) starts from the files, with a fresh segment for writes.
        CloseCurrent();
        _segments.Clear();
        var files = Directory.GetFiles(_dir, "*" + Extension)
            .Select(f => (Seq: long.Parse(Path.GetFileNameWithoutExtension(f), CultureInfo.InvariantCulture), Path: f))
            .OrderBy(f => f.Seq).ToList();
        var entries = new List<LogEntry>();
        ulong baseIndex = 0, baseTerm = 0;
        var haveBase = false;
        for (var i = 0; i < files.Count; i++)
        {
            var (seq, path) = files[i];
            var last = i == files.Count - 1;
            ulong segBase = entries.Count > 0 ? entries[^1].Index : baseIndex;
            long goodLength;
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
            {
                goodLength = 0;
                while (true)
                {
                    var body = WalRecord.TryRead(fs, out var cleanEnd);
                    if (body is null)
                    {
                        // Only the last segment may end in unwritten (zero) space: earlier ones were cut to
                        // their records when closed or loaded, so zeros there are lost acknowledged data.
                        if (!cleanEnd || (!last && fs.Position < fs.Length))
                        {
                            if (!last)
                                throw new RaftStorageException($"raft: write-ahead log segment {path} is corrupt at offset {goodLength}; refusing to start with a damaged log");
                            _log.LogWarning("raft: write-ahead log {Path} has a torn or corrupt record at offset {Offset}; truncating {Bytes} bytes to the last good record",
                                path, goodLength, fs.Length - goodLength);
                        }
                        break;
                    }
                    goodLength = fs.Position;
                    switch (body[0])
                    {
                        case WalRecord.KindEntry:
                        {
                            var e = WalRecord.DecodeEntry(body);
                            var lastIdx = entries.Count > 0 ? entries[^1].Index : baseIndex;
                            if (e.Index <= baseIndex)
                            {
                                // Rewrites an index older than what survived compaction: restart the window here.
                                entries.Clear();
                                baseIndex = e.Index - 1;
                                baseTerm = 0;
                            }
                            else if (e.Index <= lastIdx) entries.RemoveRange((int)(e.Index - baseIndex - 1), (int)(lastIdx - e.Index + 1));
                            else if (e.Index != lastIdx + 1)
                                throw new RaftStorageException($"raft: write-ahead log {path} has a gap: index {e.Index} after {lastIdx}");
                            entries.Add(e);
                            break;
                        }
                        case WalRecord.KindBase:
                        {
                            var (idx, term) = WalRecord.DecodeMarker(body);
                            if (!haveBase && entries.Count == 0) { baseIndex = idx; baseTerm = term; }
                            segBase = idx;
                            break;
                        }
                        case WalRecord.KindReset:
                        {
                            var (idx, term) = WalRecord.DecodeMarker(body);
                            entries.Clear();
                            baseIndex = idx;
                            baseTerm = term;
                            break;
                        }
                    }
                    haveBase = true;
                }
            }
            if (last && goodLength < new FileInfo(path).Length)
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Write);
                fs.SetLength(goodLength);
                fs.Flush(true);
            }
            _segments.Add((seq, segBase));
        }
        _lastIndex = entries.Count > 0 ? entries[^1].Index : baseIndex;
        _lastTerm = entries.Count > 0 ? entries[^1].Term : baseTerm;
        return new WalContents(baseIndex, baseTerm, entries);
    }

    /// <summary>Writes entries (replacing any stored at or after the first one's index). Not durable until <see cref="Sync"/>.</summary>
    public void Append(IReadOnlyList<LogEntry> entries)
    {
        foreach (var e in entries)
        {
            Write(WalRecord.Entry(e));
            _lastIndex = e.Index;
            _lastTerm = e.Term;
        }
    }

    /// <summary>Voids the whole log: it now continues after (index, term), e.g. after installing a snapshot.</summary>
    public void Reset(ulong index, ulong term)
    {
        Write(WalRecord.Marker(WalRecord.KindReset, index, term));
        _lastIndex = index;
        _lastTerm = term;
    }

    /// <summary>fsync: after this returns, everything appended survives a crash.</summary>
    public void Sync()
    {
        ThrowIfFailed();
        if (_current is null) return;
        try
        {
            if (_current is FileStream fs)
            {
                if (_currentPreallocated) FileSync.DataSync(fs);
                else fs.Flush(flushToDisk: true);
            }
            else _current.Flush();
        }
        catch (Exception e) { Fail(e); }
        if (_currentSize >= _segmentBytes) Roll();
    }

    /// <summary>Deletes segments holding only entries at or below <paramref name="index"/>.</summary>
    public void CompactTo(ulong index)
    {
        // Segment i may go when the segment after it starts at or below the compaction point.
        while (_segments.Count > 1 && _segments[1].BaseIndex <= index)
        {
            var path = PathOf(_segments[0].Seq);
            try { File.Delete(path); }
            catch (IOException e) { _log.LogWarning(e, "raft: could not delete old log segment {Path}", path); return; }
            _segments.RemoveAt(0);
        }
    }

    private void Write(byte[] record)
    {
        ThrowIfFailed();
        if (_current is null) OpenNewSegment();
        try
        {
            _current!.Write(record);
            _currentSize += record.Length;
        }
        catch (Exception e) { Fail(e); }
    }

    private void Roll()
    {
        CloseCurrent();
        OpenNewSegment();
        Sync();
    }

    /// <summary>Cuts a preallocated segment to what was written (durably, before a later segment exists) and closes it.</summary>
    private void CloseCurrent()
    {
        if (_current is FileStream fs && _currentPreallocated && _failure is null)
        {
            try
            {
                fs.SetLength(_currentSize);
                fs.Flush(flushToDisk: true);
            }
            catch (Exception e)
            {
                // A segment that could not be cut may be half-changed: the log takes no more writes.
                Fail(e);
            }
        }
        _current?.Dispose();
        _current = null;
        _currentPreallocated = false;
    }

    private void OpenNewSegment()
    {
        var seq = _segments.Count > 0 ? _segments[^1].Seq + 1 : 1;
        var path = PathOf(seq);
        try
        {
            _current = _openForAppend(path);
            _currentSize = 0;
            // Where preallocation is unavailable, syncs stay full fsyncs (appends then change the size).
            _currentPreallocated = _preallocate && _current is FileStream fs && FileSync.TryPreallocate(fs.SafeFileHandle, _segmentBytes);
            _segments.Add((seq, _lastIndex));
            var header = WalRecord.Marker(WalRecord.KindBase, _lastIndex, _lastTerm);
            _current.Write(header);
            _currentSize += header.Length;
            // The new segment's directory entry and preallocated length must be durable before records in it are acknowledged.
            if (_currentPreallocated) ((FileStream)_current).Flush(flushToDisk: true);
            DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (Exception e) { Fail(e); }
    }

    private void Fail(Exception e)
    {
        _failure ??= e;
        throw new RaftStorageException($"raft: write-ahead log write failed ({e.Message}); refusing further writes", e);
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
            throw new RaftStorageException($"raft: write-ahead log is unusable after an earlier failure ({_failure.Message}); refusing writes", _failure);
    }

    public void Dispose()
    {
        try { CloseCurrent(); } catch (IOException) { /* the next start cuts the unwritten tail instead (a failed cut is a RaftStorageException, an IOException) */ }
        finally
        {
            try { _current?.Dispose(); } catch (IOException) { /* already failed; nothing more to lose */ }
            _current = null;
        }
    }
}
