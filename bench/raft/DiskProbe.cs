using System.Diagnostics;
using System.Globalization;
using Consul.Core.Raft;
using Consul.Core.Raft.Storage;

namespace Consul.Bench.Raft;

/// <summary>
/// The WAL's own sync cost on this disk: 128-byte entries appended and synced through
/// <see cref="SegmentedWal"/>, first by one writer alone, then by three at once (each replica
/// of the 3-process cluster syncs every entry, and here they share one disk).
/// </summary>
public static class DiskProbe
{
    public static string Measure(string dir, int samples = 400)
    {
        var alone = Run(Path.Combine(dir, "probe-alone"), samples);
        var three = new double[3][];
        Parallel.For(0, 3, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i => three[i] = Run(Path.Combine(dir, "probe" + i), samples));
        var together = three.SelectMany(t => t).Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture,
            $"WAL append+sync of a 128-byte entry: alone p50 {alone[alone.Length / 2]:F0} µs; three WALs syncing at once p50 {together[together.Length / 2]:F0} µs");
    }

    private static double[] Run(string dir, int samples)
    {
        var times = new double[samples];
        using (var wal = new SegmentedWal(dir))
        {
            wal.Load();
            for (var i = 0; i < samples; i++)
            {
                var t = Stopwatch.GetTimestamp();
                wal.Append([new LogEntry((ulong)i + 1, 1, EntryType.Command, new byte[128])]);
                wal.Sync();
                times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
        }
        Directory.Delete(dir, recursive: true);
        Array.Sort(times);
        return times;
    }
}
