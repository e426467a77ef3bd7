using System.Diagnostics;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Coordination;

/// <summary>
/// A real agent driven by the unmodified python-consul library (Debian package python3-consul):
/// sessions, a KV lock, a txn and plain KV, checked by the script's printed results.
/// </summary>
public class PythonConsulClientTests
{
    private const string Script = "python_consul_check.py";

    [Fact(Timeout = 90000)]
    public async Task Python_consul_drives_sessions_locks_txn_and_kv()
    {
        var python = FindPython();
        var script = Path.Combine(RepoRoot(), "tests", "Agent.Tests", "Coordination", Script);
        Assert.True(File.Exists(script), $"missing {script}");

        var probe = await Run(python, ["-c", "import consul; print(consul.__version__)"], TimeSpan.FromSeconds(20));
        Assert.True(probe.ExitCode == 0,
            $"python module 'consul' is not importable by {python} (install Debian's python3-consul: apt-get install -y python3-consul):\n{probe.Output}");

        await using var agent = await AgentProcess.StartDevAsync();
        var run = await Run(python, [script, agent.Address, "8500"], TimeSpan.FromSeconds(45));
        Assert.True(run.ExitCode == 0, $"script exited {run.ExitCode}:\n{run.Output}\nagent:\n{agent.Output}");

        var results = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        var expected = new Dictionary<string, string>
        {
            ["session"] = "created",
            ["session_ttl"] = "30s",
            ["session_lock_delay"] = "0",
            ["session_listed"] = "True",
            ["session_renewed"] = "True",
            ["acquire"] = "True",
            ["acquire_other"] = "False",
            ["lock_session"] = "mine",
            ["lock_index"] = "1",
            ["lock_value"] = "holder-1",
            ["release"] = "True",
            ["released_session"] = "None",
            ["put"] = "True",
            ["get"] = "alpha flags=42",
            ["cas_stale"] = "False",
            ["cas_ok"] = "True",
            ["recurse"] = "py/config/a,py/lock",
            ["txn"] = "200 results=3",
            ["txn_get"] = "1",
            ["txn_conflict"] = "409 op=1",
            ["txn_rolled_back"] = "True",
            ["destroy"] = "True",
            ["destroyed"] = "True",
        };
        foreach (var (name, value) in expected)
        {
            Assert.True(results.TryGetValue(name, out var actual), $"script printed no '{name}':\n{run.Output}");
            Assert.True(actual == value, $"{name}: expected '{value}', got '{actual}'\n{run.Output}");
        }
    }

    /// <summary>Debian's interpreter first (where python3-consul installs), then python3 on PATH.</summary>
    private static string FindPython()
    {
        if (File.Exists("/usr/bin/python3")) return "/usr/bin/python3";
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "python3")).FirstOrDefault(File.Exists);
        Assert.True(onPath is not null, "python3 not found (CI must install python3 and python3-consul)");
        return onPath!;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Consul.Web.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Consul.Web.sln above {AppContext.BaseDirectory}");
    }

    private static async Task<(int ExitCode, string Output)> Run(string exe, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            return (-1, $"timed out after {timeout.TotalSeconds}s\n{await stdout}\n{await stderr}");
        }
        return (p.ExitCode, (await stdout) + (await stderr));
    }
}
