using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Consul.Bench.Cluster;

/// <summary>
/// The physical floor of one Raft commit on this machine, measured in the same run: a
/// 128-byte append with fsync in the benchmark's data directory, and a loopback TCP round trip.
/// </summary>
public static class Floor
{
    public static string Measure(string dir, int samples = 500)
    {
        var fsync = FsyncMicros(dir, samples);
        var rtt = LoopbackRoundTripMicros(samples * 4);
        var floor = fsync[samples / 2] + 2 * rtt[rtt.Length / 2];
        return string.Create(CultureInfo.InvariantCulture,
            $"fsync of a 128-byte append: p50 {fsync[samples / 2]:F0} µs, p99 {fsync[samples * 99 / 100]:F0} µs; " +
            $"loopback TCP round trip: p50 {rtt[rtt.Length / 2]:F0} µs; one fsync + two round trips = {floor:F0} µs (2x = {2 * floor:F0} µs)");
    }

    private static double[] FsyncMicros(string dir, int samples)
    {
        var path = Path.Combine(dir, "fsync-probe.bin");
        var record = new byte[128];
        var times = new double[samples];
        using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096))
        {
            for (var i = 0; i < samples; i++)
            {
                var t = Stopwatch.GetTimestamp();
                fs.Write(record);
                fs.Flush(flushToDisk: true);
                times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
        }
        File.Delete(path);
        Array.Sort(times);
        return times;
    }

    private static double[] LoopbackRoundTripMicros(int samples)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient { NoDelay = true };
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        using var server = listener.AcceptTcpClient();
        server.NoDelay = true;
        var echo = new Thread(() =>
        {
            var s = server.GetStream();
            var b = new byte[1];
            while (s.Read(b) == 1) s.Write(b);
        }) { IsBackground = true };
        echo.Start();
        var stream = client.GetStream();
        var one = new byte[1];
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var t = Stopwatch.GetTimestamp();
            stream.Write(one);
            stream.ReadExactly(one);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
        Array.Sort(times);
        return times;
    }
}
