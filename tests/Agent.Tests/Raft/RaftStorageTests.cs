using Consul.Core.Raft;
using Consul.Core.Raft.Storage;

namespace Consul.Tests.Raft;

public sealed class RaftStorageTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private static LogEntry E(ulong index, ulong term, int size = 20) =>
        new(index, term, EntryType.Command, Enumerable.Range(0, size).Select(i => (byte)(index + (ulong)i)).ToArray());

    private string WalDir => Path.Combine(_tmp.Path, "wal");

    private static void AssertSameEntries(IReadOnlyList<LogEntry> expected, IReadOnlyList<LogEntry> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Index, actual[i].Index);
            Assert.Equal(expected[i].Term, actual[i].Term);
            Assert.Equal(expected[i].Data, actual[i].Data);
        }
    }

    [Fact]
    public void Wal_round_trips_entries_and_replaces_conflicting_suffix()
    {
        using (var wal = new SegmentedWal(WalDir))
        {
            wal.Load();
            wal.Append(Enumerable.Range(1, 10).Select(i => E((ulong)i, 1)).ToList());
            wal.Append([E(6, 2), E(7, 2)]);
            wal.Sync();
        }
        using var again = new SegmentedWal(WalDir);
        var c = again.Load();
        var expected = Enumerable.Range(1, 5).Select(i => E((ulong)i, 1)).Concat([E(6, 2), E(7, 2)]).ToList();
        AssertSameEntries(expected, c.Entries);
    }

    [Fact]
    public void Torn_tail_at_every_offset_recovers_a_prefix_and_truncates()
    {
        var all = Enumerable.Range(1, 8).Select(i => E((ulong)i, 1, 10 + i)).ToList();
        using (var wal = new SegmentedWal(WalDir)) { wal.Load(); wal.Append(all); wal.Sync(); }
        var seg = Directory.GetFiles(WalDir).Single();
        var bytes = File.ReadAllBytes(seg);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            foreach (var other in Directory.GetFiles(WalDir).Where(f => f != seg)) File.Delete(other);
            File.WriteAllBytes(seg, bytes[..cut]);
            using var wal = new SegmentedWal(WalDir);
            var c = wal.Load();
            AssertSameEntries(all.Take(c.Entries.Count).ToList(), c.Entries);
            // Every record wholly before the cut survives.
            var whole = 0;
            long pos = WalRecord.HeaderSize + 17;
            foreach (var e in all) { pos += WalRecord.HeaderSize + 18 + e.Data.Length; if (pos <= cut) whole++; }
            Assert.Equal(whole, c.Entries.Count);
            Assert.True(new FileInfo(seg).Length <= cut);
            // And the log keeps working after the repair (checked on a sample: each fsync is slow).
            if (cut % 16 != 0) continue;
            wal.Append([E((ulong)whole + 1, 2)]);
            wal.Sync();
        }
    }

    [Fact]
    public void Corrupt_byte_in_tail_segment_is_cut_off_but_earlier_segment_refuses_start()
    {
        var all = Enumerable.Range(1, 63).Select(i => E((ulong)i, 1, 100)).ToList();
        using (var wal = new SegmentedWal(WalDir, segmentBytes: 2000))
        {
            wal.Load();
            foreach (var chunk in all.Take(60).Chunk(5)) { wal.Append(chunk); wal.Sync(); }
            wal.Append(all.Skip(60).ToList());
            wal.Sync();
        }
        var segs = Directory.GetFiles(WalDir).OrderBy(f => f).ToArray();
        Assert.True(segs.Length >= 3);
        // Flip a byte in the middle of the last segment.
        var last = File.ReadAllBytes(segs[^1]);
        last[last.Length / 2] ^= 0xFF;
        File.WriteAllBytes(segs[^1], last);
        using (var wal = new SegmentedWal(WalDir))
        {
            var c = wal.Load();
            Assert.InRange(c.Entries.Count, 60, 62);
            AssertSameEntries(all.Take(c.Entries.Count).ToList(), c.Entries);
        }
        var first = File.ReadAllBytes(segs[0]);
        first[first.Length / 2] ^= 0xFF;
        File.WriteAllBytes(segs[0], first);
        using var broken = new SegmentedWal(WalDir);
        var ex = Assert.Throws<RaftStorageException>(() => broken.Load());
        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void Compaction_deletes_old_segments_and_reset_voids_the_log()
    {
        using (var wal = new SegmentedWal(WalDir, segmentBytes: 1000))
        {
            wal.Load();
            for (ulong i = 1; i <= 100; i++) { wal.Append([E(i, 1, 50)]); wal.Sync(); }
            var before = wal.SegmentCount;
            wal.CompactTo(80);
            Assert.True(wal.SegmentCount < before);
        }
        using (var wal = new SegmentedWal(WalDir))
        {
            var c = wal.Load();
            Assert.True(c.Entries[0].Index <= 81);
            Assert.Equal(100UL, c.Entries[^1].Index);
            Assert.Equal(c.Entries[0].Index - 1, c.BaseIndex);
            wal.Reset(150, 4);
            wal.Sync();
        }
        using var after = new SegmentedWal(WalDir);
        var r = after.Load();
        Assert.Empty(r.Entries);
        Assert.Equal((150UL, 4UL), (r.BaseIndex, r.BaseTerm));
    }

    [Fact]
    public void Kill_at_random_points_never_loses_synced_entries()
    {
        var rng = new Random(7);
        for (var round = 0; round < 30; round++)
        {
            var dir = Path.Combine(_tmp.Path, "kill" + round);
            ulong synced = 0, next = 1;
            using (var wal = new SegmentedWal(dir, segmentBytes: 1500))
            {
                wal.Load();
                var batches = rng.Next(1, 8);
                for (var b = 0; b < batches; b++)
                {
                    var n = rng.Next(1, 6);
                    wal.Append(Enumerable.Range(0, n).Select(_ => E(next++, 1, rng.Next(1, 200))).ToList());
                    wal.Sync();
                    synced = next - 1;
                }
                // Unsynced trailing writes then the "kill": cut the newest segment anywhere past the synced data.
                wal.Append(Enumerable.Range(0, rng.Next(1, 4)).Select(_ => E(next++, 1, rng.Next(1, 200))).ToList());
                wal.Sync();
            }
            var newest = Directory.GetFiles(dir).OrderBy(f => f).Last();
            var len = new FileInfo(newest).Length;
            using (var wal = new SegmentedWal(dir)) { wal.Load(); }
            var syncedLen = LengthThrough(dir, newest, synced);
            var cut = rng.NextInt64(syncedLen, len + 1);
            using (var fs = new FileStream(newest, FileMode.Open)) fs.SetLength(cut);
            using var reopened = new SegmentedWal(dir);
            var c = reopened.Load();
            Assert.True(c.Entries.Count > 0 && c.Entries[^1].Index >= synced, $"round {round}: lost synced entries (have {c.Entries.Count}, synced {synced})");
        }
    }

    /// <summary>Byte length of <paramref name="segment"/> up to and including the record of <paramref name="index"/>.</summary>
    private static long LengthThrough(string dir, string segment, ulong index)
    {
        using var fs = File.OpenRead(segment);
        long good = 0;
        while (WalRecord.TryRead(fs, out _) is { } body)
        {
            if (body[0] == WalRecord.KindEntry && WalRecord.DecodeEntry(body).Index > index) return good;
            good = fs.Position;
        }
        return good;
    }

    [Fact]
    public void Preallocated_segment_survives_a_crash_and_is_cut_to_its_records_on_close()
    {
        const int segmentBytes = 1 << 20;
        var entries = Enumerable.Range(1, 10).Select(i => E((ulong)i, 1, 50)).ToList();
        var wal = new SegmentedWal(WalDir, segmentBytes: segmentBytes);
        wal.Load();
        wal.Append(entries);
        wal.Sync();
        var seg = Directory.GetFiles(WalDir).Single();
        // On Linux the segment holds its full size from the start, so syncs change no metadata.
        if (OperatingSystem.IsLinux()) Assert.Equal(segmentBytes, new FileInfo(seg).Length);
        // A crash leaves the file as it is now (zero tail included): copy it without closing the log.
        var crashed = Path.Combine(_tmp.Path, "crashed");
        Directory.CreateDirectory(crashed);
        File.Copy(seg, Path.Combine(crashed, Path.GetFileName(seg)));
        using (var recovered = new SegmentedWal(crashed))
        {
            AssertSameEntries(entries, recovered.Load().Entries);
            recovered.Append([E(11, 2)]);
            recovered.Sync();
        }
        using (var reopened = new SegmentedWal(crashed))
            AssertSameEntries(entries.Append(E(11, 2)).ToList(), reopened.Load().Entries);
        wal.Dispose();
        Assert.InRange(new FileInfo(seg).Length, 1, segmentBytes / 2);
        using var closed = new SegmentedWal(WalDir);
        AssertSameEntries(entries, closed.Load().Entries);
    }

    [Fact]
    public void Zeroed_block_in_an_earlier_segment_refuses_start()
    {
        var entries = Enumerable.Range(1, 40).Select(i => E((ulong)i, 1, 100)).ToList();
        using (var wal = new SegmentedWal(WalDir, segmentBytes: 1000))
        {
            wal.Load();
            foreach (var e in entries) { wal.Append([e]); wal.Sync(); }
        }
        var first = Directory.GetFiles(WalDir).OrderBy(f => f).First();
        var bytes = File.ReadAllBytes(first);
        // Zeros where a record header was look like the unwritten tail of a last segment; here they
        // would silently drop acknowledged entries, so the log must refuse to start.
        var secondRecordEnds = WalRecord.HeaderSize + 17 + 2 * (WalRecord.HeaderSize + 18 + 100); // base marker, two entries
        Assert.True(bytes.Length > secondRecordEnds + WalRecord.HeaderSize);
        Array.Clear(bytes, secondRecordEnds, bytes.Length - secondRecordEnds);
        File.WriteAllBytes(first, bytes);
        using var broken = new SegmentedWal(WalDir);
        var ex = Assert.Throws<RaftStorageException>(() => broken.Load());
        Assert.Contains("corrupt", ex.Message);
    }

    [Fact]
    public void Rolled_segments_are_cut_to_their_records()
    {
        var entries = Enumerable.Range(1, 40).Select(i => E((ulong)i, 1, 100)).ToList();
        using (var wal = new SegmentedWal(WalDir, segmentBytes: 1000))
        {
            wal.Load();
            foreach (var e in entries) { wal.Append([e]); wal.Sync(); }
            var closed = Directory.GetFiles(WalDir).OrderBy(f => f).SkipLast(1).ToList();
            Assert.True(closed.Count >= 3);
            // A full segment ends with its last record: no preallocated zeros between segments.
            foreach (var f in closed)
            {
                var bytes = File.ReadAllBytes(f);
                Assert.NotEqual(new byte[WalRecord.HeaderSize], bytes[^WalRecord.HeaderSize..]);
                using var fs = File.OpenRead(f);
                while (WalRecord.TryRead(fs, out _) is not null) { }
                Assert.Equal(fs.Length, fs.Position);
            }
        }
        using var again = new SegmentedWal(WalDir);
        AssertSameEntries(entries, again.Load().Entries);
    }

    [Fact]
    public void Full_disk_refuses_writes_with_a_clear_error()
    {
        using var wal = new SegmentedWal(WalDir, openForAppend: path => new FullDiskStream(path, allowBytes: 300));
        wal.Load();
        wal.Append([E(1, 1)]);
        wal.Sync();
        var ex = Assert.Throws<RaftStorageException>(() =>
        {
            for (ulong i = 2; i < 100; i++) { wal.Append([E(i, 1, 50)]); wal.Sync(); }
        });
        Assert.Contains("No space left on device", ex.Message);
        Assert.NotNull(wal.Failure);
        var again = Assert.Throws<RaftStorageException>(() => wal.Append([E(200, 1)]));
        Assert.Contains("refusing writes", again.Message);
    }

    [Fact]
    public void Stable_store_round_trips_and_detects_corruption()
    {
        var path = Path.Combine(_tmp.Path, "stable.bin");
        var store = new StableStore(path);
        Assert.Equal(default, store.Load());
        store.Save(new HardState(7, "n2", 0));
        Assert.Equal(new HardState(7, "n2", 0), new StableStore(path).Load());
        store.Save(new HardState(8, null, 0));
        Assert.Equal(new HardState(8, null, 0), store.Load());
        var bytes = File.ReadAllBytes(path);
        bytes[6] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Throws<RaftStorageException>(() => store.Load());
    }

    [Fact]
    public void Snapshot_store_keeps_last_n_and_skips_corrupt_ones()
    {
        var dir = Path.Combine(_tmp.Path, "snaps");
        var store = new SnapshotStore(dir, retain: 2);
        var config = new RaftConfiguration([new ServerInfo("a", "127.0.0.1:1", true)]);
        for (ulong i = 1; i <= 3; i++) store.Save(new SnapshotMeta(i * 10, 1, config, 1), [(byte)i, 2, 3]);
        Assert.Equal(2, store.Count);
        var latest = store.LoadLatest()!.Value;
        Assert.Equal(30UL, latest.Meta.Index);
        Assert.Equal(config, latest.Meta.Configuration);
        Assert.Equal(new byte[] { 3, 2, 3 }, latest.Data);
        var newest = Directory.GetFiles(dir).OrderBy(f => f).Last();
        var bytes = File.ReadAllBytes(newest);
        bytes[^10] ^= 0x40;
        File.WriteAllBytes(newest, bytes);
        Assert.Equal(20UL, store.LoadLatest()!.Value.Meta.Index);
        File.WriteAllBytes(Path.Combine(dir, "junk.snap.tmp"), [1, 2]);
        Assert.Equal(20UL, new SnapshotStore(dir, 2).LoadLatest()!.Value.Meta.Index);
    }

    [Fact]
    public void Storage_load_drops_log_that_disagrees_with_a_newer_snapshot()
    {
        var config = new RaftConfiguration([new ServerInfo("a", "x", true)]);
        using (var s = new RaftStorage(_tmp.Path))
        {
            s.Load();
            s.Bootstrap(config);
            s.Persist(new Ready { Entries = [E(2, 1), E(3, 1), E(4, 1)], HardState = new HardState(2, "a", 0) });
            // A snapshot from another history at index 3 (term 2) arrives, but we crash before the log reset.
            s.Snapshots.Save(new SnapshotMeta(3, 2, config, 1), [9]);
        }
        using (var s = new RaftStorage(_tmp.Path))
        {
            var r = s.Load();
            Assert.Equal(3UL, r.Snapshot!.Index);
            Assert.Empty(r.Entries);
            Assert.Equal(new HardState(2, "a", 0), r.HardState);
        }
        using (var s = new RaftStorage(_tmp.Path))
        {
            s.Load();
            Directory.Delete(Path.Combine(_tmp.Path, "raft", "snapshots"), recursive: true);
            new SnapshotStore(Path.Combine(_tmp.Path, "raft", "snapshots")).Save(new SnapshotMeta(3, 1, config, 1), [9]);
        }
        using (var s = new RaftStorage(_tmp.Path))
        {
            // Same history: entries after the snapshot survive.
            var r = s.Load();
            Assert.Equal(3UL, r.Snapshot!.Index);
            Assert.Equal([4UL], r.Entries.Select(e => e.Index));
        }
    }

    /// <summary>A file that accepts a few bytes and then fails like a full disk.</summary>
    private sealed class FullDiskStream(string path, int allowBytes) : Stream
    {
        private readonly FileStream _inner = new(path, FileMode.Append, FileAccess.Write);
        private long _written;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > allowBytes) throw new IOException("No space left on device");
            _written += count;
            _inner.Write(buffer, offset, count);
        }

        public override void Flush() => _inner.Flush(true);
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
    }
}
