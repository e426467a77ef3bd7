using System.Diagnostics;
using System.Text;

namespace Consul.Tests.EndToEnd;

/// <summary>Runs the real `consul` executable built next to the tests.</summary>
public static class ConsulExe
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "consul");

    /// <summary>
    /// Loopback addresses handed to tests that start agents: 127.0.2.10, .11, ... — a block of
    /// their own, since tests with fixed 127.0.0.x addresses (from .20 up) run alongside.
    /// </summary>
    private static int _nextAddress = 9;

    public static string NextLoopback() => $"127.0.2.{10 + (Interlocked.Increment(ref _nextAddress) - 10) % 240}";

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Keep the caller's CONSUL_* out of the child unless the test sets them.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CONSUL_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Runs a CLI command to completion (bounded) and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IDictionary<string, string>? env = null, string? stdin = null, int timeoutSeconds = 60)
    {
        using var p = System.Diagnostics.Process.Start(StartInfo(args, env))!;
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"consul {string.Join(' ', args)} did not finish in {timeoutSeconds}s");
        }
        return new CliResult(p.ExitCode, await stdout, await stderr);
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// A running `consul agent` process on its own loopback address. Disposal kills it by PID
/// (and waits), so no test leaves an agent behind.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(System.Diagnostics.Process process, string address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Address { get; }
    public int Pid => _process.Id;
    public string HttpAddr => $"http://{Address}:8500";
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts `consul agent -dev` bound to a fresh loopback address and waits until it has a leader.</summary>
    public static async Task<AgentProcess> StartDevAsync(params string[] extraArgs)
    {
        var address = ConsulExe.NextLoopback();
        var args = new List<string> { "agent", "-dev", $"-bind={address}", $"-client={address}" };
        args.AddRange(extraArgs);
        var agent = new AgentProcess(System.Diagnostics.Process.Start(ConsulExe.StartInfo(args))!, address);
        try
        {
            await agent.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await agent.DisposeAsync();
            throw;
        }
        return agent;
    }

    /// <summary>Starts `consul agent` with the given arguments on <paramref name="address"/> (its HTTP and DNS there too); does not wait.</summary>
    public static AgentProcess Start(string address, IEnumerable<string> args) =>
        new(System.Diagnostics.Process.Start(ConsulExe.StartInfo(args))!, address);

    public async Task WaitForLeaderAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"agent exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var leader = await http.GetStringAsync($"{HttpAddr}/v1/status/leader");
                if (leader.Trim('"', ' ', '\n').Length > 0) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"agent at {Address} had no leader within {timeout}:\n{Output}");
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        SignalSender.Send(_process.Id, SignalSender.SIGTERM);
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(cts.Token); } catch (OperationCanceledException) { }
        }
        _process.Dispose();
    }
}

/// <summary>POSIX signals by PID (SIGTERM, SIGKILL, SIGSTOP, SIGCONT).</summary>
public static class SignalSender
{
    public const int SIGKILL = 9, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0) throw new InvalidOperationException($"kill({pid}, {signal}) failed");
    }
}
