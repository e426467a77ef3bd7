using System.Diagnostics;

namespace Consul.Tests.Deploy;

/// <summary>
/// scripts/local-cluster.sh against the real consul built next to the tests, on
/// 127.0.0.150.. so it does not collide with other suites' loopback addresses.
/// </summary>
public sealed class LocalClusterScriptTests : IDisposable
{
    private const string BaseIp = "127.0.0.150";
    private readonly string _state = Directory.CreateTempSubdirectory("local-cluster-").FullName;

    private (int Exit, string Output) Script(params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(DeployFiles.RepoRoot(), "scripts", "local-cluster.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CONSUL_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["CONSUL_BIN"] = Path.Combine(AppContext.BaseDirectory, "consul");
        psi.Environment["LOCAL_CLUSTER_DIR"] = _state;
        psi.Environment["LOCAL_CLUSTER_BASE_IP"] = BaseIp;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"local-cluster.sh {string.Join(' ', args)} did not finish in 60s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private List<int> RecordedPids() =>
        Directory.GetFiles(_state, "*.pid").Select(f => int.Parse(File.ReadAllText(f).Trim())).ToList();

    /// <summary>Alive and not a zombie (a killed agent lingers as one until its new parent reaps it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task UpStatusDownRunsAndStopsEveryAgent()
    {
        List<int> pids = [];
        try
        {
            var up = Script("up", "3");
            Assert.True(up.Exit == 0, up.Output);
            pids = RecordedPids();
            Assert.Equal(4, pids.Count);

            string[] addresses = ["127.0.0.150", "127.0.0.151", "127.0.0.152", "127.0.0.153"];
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            foreach (var address in addresses)
                await WaitForLeaderAsync(http, address, TimeSpan.FromSeconds(60));

            var status = Script("status");
            Assert.True(status.Exit == 0, status.Output);
            foreach (var (name, address) in new[] { ("server1", addresses[0]), ("server2", addresses[1]), ("server3", addresses[2]), ("client1", addresses[3]) })
                Assert.Matches($@"{name} {address.Replace(".", @"\.")} pid \d+ running", status.Output);
            Assert.Contains("server1  127.0.0.150:8301  alive   server", status.Output);

            var again = Script("up", "3");
            Assert.NotEqual(0, again.Exit);
            Assert.Contains("already running", again.Output);

            var down = Script("down");
            Assert.True(down.Exit == 0, down.Output);
            foreach (var pid in pids)
                Assert.False(IsRunning(pid), $"pid {pid} still running after down");
            Assert.Empty(Directory.GetFiles(_state, "*.pid"));
        }
        finally
        {
            // Whatever happened above, no agent outlives the test.
            foreach (var pid in pids.Count > 0 ? pids : RecordedPids())
                if (IsRunning(pid))
                    try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }

    [Fact]
    public void DownWithNothingRunningSucceeds()
    {
        var down = Script("down");
        Assert.Equal(0, down.Exit);
        Assert.Contains("nothing was running", down.Output);
    }

    [Fact]
    public void DownLeavesAStalePidOfAnotherProcessAlone()
    {
        // A pid file left by a crashed run may name a pid since reused by something else.
        using var other = Process.Start(new ProcessStartInfo("sleep", "30") { RedirectStandardOutput = true })!;
        try
        {
            File.WriteAllText(Path.Combine(_state, "server1.pid"), other.Id.ToString());
            var down = Script("down");
            Assert.Equal(0, down.Exit);
            Assert.False(other.HasExited, "down killed a process that is not one of its agents");
            Assert.Empty(Directory.GetFiles(_state, "*.pid"));
        }
        finally
        {
            other.Kill();
        }
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Equal(2, Script("restart").Exit);
        var bad = Script("up", "three");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("N must be a number", bad.Output);
        Assert.Empty(Directory.GetFiles(_state, "*.pid"));
    }

    private async Task WaitForLeaderAsync(HttpClient http, string address, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var leader = await http.GetStringAsync($"http://{address}:8500/v1/status/leader");
                if (leader.Trim('"', ' ', '\n').Length > 0) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        var logs = string.Join("\n", Directory.GetFiles(_state, "*.log").Select(f => f + ":\n" + File.ReadAllText(f)));
        throw new TimeoutException($"agent at {address} had no leader within {timeout}\n{logs}");
    }

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
