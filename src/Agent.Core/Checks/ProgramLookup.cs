namespace Consul.Core.Checks;

/// <summary>
/// Finds a check's program as Go's os/exec does before starting it, with Go's error texts:
/// a name with a slash is taken as a path; a bare name is looked up in $PATH.
/// </summary>
internal static class ProgramLookup
{
    /// <summary>Why <paramref name="program"/> cannot be started, or null when it can.</summary>
    public static string? Error(string program)
    {
        if (program.Contains('/'))
        {
            if (File.Exists(program)) return IsExecutable(program) ? null : $"fork/exec {program}: permission denied";
            return $"fork/exec {program}: {(Directory.Exists(program) ? "permission denied" : "no such file or directory")}";
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate) && IsExecutable(candidate)) return null;
        }
        return $"exec: \"{program}\": executable file not found in $PATH";
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
