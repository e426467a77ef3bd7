using System.Globalization;
using System.Runtime.InteropServices;

namespace Consul.Agent.Http;

/// <summary>/v1/agent/host: memory, CPU, host and disk facts in the shape of gopsutil's, as Consul reports.</summary>
public static class HostInfo
{
    public static Dictionary<string, object?> Collect(TimeProvider time)
    {
        var errors = new List<string>();
        var meminfo = ReadKeyValues("/proc/meminfo", errors);
        long Kb(string key) => meminfo.TryGetValue(key, out var v) && long.TryParse(v.Split(' ')[0], out var n) ? n * 1024 : 0;
        var total = Kb("MemTotal");
        var available = Kb("MemAvailable");
        var used = total - available;
        var uptime = Environment.TickCount64 / 1000;
        var now = time.GetUtcNow();
        var drive = new DriveInfo("/");

        return new Dictionary<string, object?>
        {
            ["Memory"] = new Dictionary<string, object>
            {
                ["total"] = total, ["available"] = available, ["used"] = used,
                ["usedPercent"] = total == 0 ? 0.0 : 100.0 * used / total, ["free"] = Kb("MemFree"),
            },
            ["CPU"] = Enumerable.Range(0, Environment.ProcessorCount).Select(i => new Dictionary<string, object>
            {
                ["cpu"] = i, ["vendorId"] = "", ["modelName"] = CpuModel(), ["cores"] = 1, ["mhz"] = 0.0,
            }).ToList(),
            ["Host"] = new Dictionary<string, object>
            {
                ["hostname"] = Environment.MachineName,
                ["uptime"] = uptime,
                ["bootTime"] = now.ToUnixTimeSeconds() - uptime,
                ["procs"] = System.Diagnostics.Process.GetProcesses().Length,
                ["os"] = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
                ["platform"] = RuntimeInformation.OSDescription,
                ["kernelVersion"] = Environment.OSVersion.Version.ToString(),
                ["kernelArch"] = RuntimeInformation.OSArchitecture.ToString(),
            },
            ["Disk"] = new Dictionary<string, object>
            {
                ["path"] = "/", ["fstype"] = drive.DriveFormat, ["total"] = drive.TotalSize, ["free"] = drive.AvailableFreeSpace,
                ["used"] = drive.TotalSize - drive.TotalFreeSpace,
                ["usedPercent"] = drive.TotalSize == 0 ? 0.0 : 100.0 * (drive.TotalSize - drive.TotalFreeSpace) / drive.TotalSize,
            },
            ["CollectionTime"] = now.ToUnixTimeMilliseconds() * 1_000_000,
            ["Errors"] = errors.Count == 0 ? null : errors,
        };
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? "";
        }
        catch (IOException) { return ""; }
    }

    private static Dictionary<string, string> ReadKeyValues(string path, List<string> errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var parts = line.Split(':', 2);
                if (parts.Length == 2) result[parts[0].Trim()] = parts[1].Trim();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: {e.Message}"));
        }
        return result;
    }
}
