namespace Consul.Bench.Ui;

/// <summary>Reads the agent's resident memory and CPU time from /proc.</summary>
public sealed class AgentProcess(int pid)
{
    public int Pid { get; } = pid;

    /// <summary>VmRSS in KiB from /proc/pid/status.</summary>
    public long RssKiB()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:"))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        }
        throw new InvalidOperationException("VmRSS missing");
    }

    /// <summary>utime+stime in clock ticks (fields 14 and 15 of /proc/pid/stat).</summary>
    public long CpuTicks()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name may contain spaces; fields after ')' start at field 3 (state).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }
}
