namespace Consul.Bench.Cluster;

/// <summary>CPU time of the server processes (from /proc/PID/stat) and of this load generator.</summary>
public sealed class CpuSample(IReadOnlyList<int> serverPids)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Reading(DateTime At, double Servers, double LoadGen)
    {
        public static Delta operator -(Reading after, Reading before) =>
            new((after.At - before.At).TotalSeconds, after.Servers - before.Servers, after.LoadGen - before.LoadGen);
    }

    /// <summary>CPU seconds used over a wall-clock span; divide by Wall for cores busy.</summary>
    public sealed record Delta(double Wall, double Servers, double LoadGen)
    {
        public double ServerCores => Servers / Wall;
        public double LoadGenCores => LoadGen / Wall;
    }

    public Reading Read()
    {
        double servers = 0;
        foreach (var pid in serverPids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                servers += (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond;
            }
            catch (IOException) { }
        }
        return new Reading(DateTime.UtcNow, servers, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds);
    }
}
