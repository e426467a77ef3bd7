using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Consul.Agent.Cli;

/// <summary>
/// How `consul lock` and `consul watch` start their child (agent.ExecScript / ExecSubprocess):
/// with -shell the words joined and run by $SHELL (default /bin/sh) -c, otherwise directly.
/// </summary>
internal static class LockShell
{
    public static ProcessStartInfo StartInfo(IReadOnlyList<string> args, bool shell, IReadOnlyDictionary<string, string?> env)
    {
        ProcessStartInfo psi;
        if (shell)
        {
            var sh = env.TryGetValue("SHELL", out var s) && !string.IsNullOrEmpty(s) ? s : "/bin/sh";
            psi = new ProcessStartInfo(sh);
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(string.Join(' ', args));
        }
        else
        {
            psi = new ProcessStartInfo(args[0]);
            foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        }
        psi.UseShellExecute = false;
        return psi;
    }

    /// <summary>Go's exec error for a child that could not be started.</summary>
    public static string StartError(ProcessStartInfo psi) =>
        psi.FileName.Contains('/')
            ? $"fork/exec {psi.FileName}: no such file or directory"
            : $"exec: {GoFlagSet.GoQuote(psi.FileName)}: executable file not found in $PATH";

    /// <summary>Go's ExitError text: "exit status N", or "signal: ..." for a child killed by a signal.</summary>
    public static string ExitText(int exitCode) => exitCode switch
    {
        130 => "signal: interrupt",
        137 => "signal: killed",
        143 => "signal: terminated",
        _ => $"exit status {exitCode}",
    };
}

/// <summary>POSIX kill(2) by PID, for SIGTERM/SIGINT to a child (Process.Kill only sends SIGKILL).</summary>
internal static class LockSignals
{
    public const int SIGINT = 2, SIGKILL = 9, SIGTERM = 15;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int sig);

    /// <summary>Sends a signal; returns an error text or null.</summary>
    public static string? Send(int pid, int signal) =>
        SysKill(pid, signal) == 0 ? null : $"os: process already finished (errno {Marshal.GetLastPInvokeError()})";
}
