using System.Diagnostics;
using System.Text;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.LockWatch;

/// <summary>A long-running `consul lock`/`consul watch` process; disposal kills it by PID.</summary>
internal sealed class LockWatchProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    private LockWatchProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
    }

    public static LockWatchProcess Start(string httpAddr, params string[] args) =>
        new(Process.Start(ConsulExe.StartInfo(args, new Dictionary<string, string> { ["CONSUL_HTTP_ADDR"] = httpAddr }))!);

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public void Signal(int signal) => SignalSender.Send(_process.Id, signal);

    /// <summary>Waits for exit (bounded) and returns the exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {Pid} still running after {timeout}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
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

/// <summary>Polling with a deadline, and reading the mark files children write.</summary>
internal static class LockWatchWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(50);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(describe());
            await Task.Delay(100);
        }
    }

    public static string[] Lines(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];

}

/// <summary>
/// One dev agent shared by the tests of a class, on an address of its own from the top of
/// 127.0.0.x (other suites hand out .10 upwards); another address is tried if the ports are taken.
/// </summary>
public sealed class LockWatchAgentFixture : IAsyncLifetime
{
    private static int _next = Random.Shared.Next(0, 40);

    private LockWatchProcess? _agent;
    private readonly List<string> _tempDirs = [];

    /// <summary>A fresh temp file path for children's marks; removed with the fixture.</summary>
    public string TempFile(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "consul-lockwatch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        lock (_tempDirs) _tempDirs.Add(dir);
        return Path.Combine(dir, name);
    }

    public string HttpAddr { get; private set; } = "";

    public async Task InitializeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            var address = $"127.0.0.{200 + Interlocked.Increment(ref _next) % 50}";
            var agent = LockWatchProcess.Start("", "agent", "-dev", $"-bind={address}", $"-client={address}");
            HttpAddr = $"http://{address}:8500";
            try
            {
                await WaitForLeaderAsync(agent);
                _agent = agent;
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private async Task WaitForLeaderAsync(LockWatchProcess agent)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (agent.HasExited) throw new InvalidOperationException($"agent exited:\n{agent.Stdout}{agent.Stderr}");
            try
            {
                var leader = await http.GetStringAsync($"{HttpAddr}/v1/status/leader");
                if (leader.Trim('"', ' ', '\n').Length > 0) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"agent at {HttpAddr} had no leader:\n{agent.Stdout}");
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        lock (_tempDirs)
            foreach (var dir in _tempDirs)
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
