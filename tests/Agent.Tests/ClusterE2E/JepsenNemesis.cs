namespace Consul.Tests.ClusterE2E;

/// <summary>
/// Faults on the Raft servers (half of them on the current leader), one at a time: SIGKILL then restart on the same data dir, or
/// SIGSTOP then SIGCONT after a short pause. Which server, which fault and every pause come from
/// the seeded Random, so a seed replays the same fault schedule (the interleaving with client
/// requests still varies). After each fault it waits until all servers agree on a leader again,
/// so at most one server is ever down.
/// </summary>
public sealed class JepsenNemesis(LocalCluster cluster, IReadOnlyDictionary<string, string> servers, Random rng, JepsenHistory clock)
{
    private readonly List<(string Line, string Detail)> _log = new();
    public const int MinFaults = 2;
    public int Faults { get; private set; }

    /// <summary>One line per fault step, with times on the history's clock.</summary>
    public string Timeline { get { lock (_log) return string.Join("\n", _log.Select(l => l.Line)); } }

    /// <summary>The timeline with the last output of every killed incarnation.</summary>
    public string Log { get { lock (_log) return string.Join("\n", _log.Select(l => l.Detail.Length == 0 ? l.Line : $"{l.Line}\n{l.Detail}")); } }

    private void Note(string what, string detail = "")
    {
        lock (_log) _log.Add(($"{clock.Now() / 1000.0,9:F1} ms  {what}", detail));
    }

    public async Task RunAsync(TimeSpan duration)
    {
        var names = servers.Keys.Order().ToArray();
        var deadline = DateTime.UtcNow + duration;
        // A restart can take tens of seconds on a loaded machine: still inject a kill's worth and a pause.
        while (DateTime.UtcNow < deadline || Faults < MinFaults)
        {
            await Task.Delay(rng.Next(500, 2500)); // quiet time between faults
            // Half the faults hit the current leader (as some server sees it): that is where lost
            // writes and stale reads would come from. The rest hit any server.
            var name = names[rng.Next(names.Length)];
            if (rng.Next(2) == 0 && LeaderName(await LeaderOrEmptyAsync(name)) is { } leader) name = leader;
            // Pauses are cheap (a restarted process takes seconds to come up), so they are twice as common.
            if (rng.Next(3) == 0) await KillAndRestartAsync(name, names);
            else await PauseAndResumeAsync(name);
            Faults++;
            await cluster.WaitUntilAsync($"all servers agree on a leader after a fault on {name}", TimeSpan.FromSeconds(45),
                () => AllServersAgreeOnLeaderAsync(cluster, names));
            Note("healed: all servers agree on a leader");
        }
    }

    private async Task KillAndRestartAsync(string name, string[] names)
    {
        var leader = await LeaderOrEmptyAsync(name);
        var output = cluster[name].Output;
        Note($"SIGKILL {name} (it saw leader {leader})", $"---- last output of the killed {name}:\n{(output.Length > 3000 ? output[^3000..] : output)}");
        await cluster.KillAsync(name);
        await Task.Delay(rng.Next(500, 3000));
        var join = servers[names.First(n => n != name)];
        cluster.StartServer(name, servers[name], 3, join);
        Note($"restarted {name} on its data dir");
        await cluster.WaitUntilAsync($"restarted {name} answers HTTP", TimeSpan.FromSeconds(45), async () =>
            (await cluster.GetAsync(name, "/v1/status/leader")).Status == 200);
        Note($"{name} answers HTTP");
    }

    private async Task PauseAndResumeAsync(string name)
    {
        var leader = await LeaderOrEmptyAsync(name);
        Note($"SIGSTOP {name} (it saw leader {leader})");
        cluster.Pause(name);
        try { await Task.Delay(rng.Next(500, 4000)); }
        finally
        {
            cluster.Resume(name);
            Note($"SIGCONT {name}");
        }
    }

    private string? LeaderName(string leaderAddress) =>
        servers.Where(s => leaderAddress == $"{s.Value}:8300").Select(s => s.Key).FirstOrDefault();

    private async Task<string> LeaderOrEmptyAsync(string name)
    {
        try { return await cluster.LeaderAsync(name); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return "?"; }
    }

    public static async Task<bool> AllServersAgreeOnLeaderAsync(LocalCluster cluster, IEnumerable<string> names)
    {
        var seen = await Task.WhenAll(names.Select(cluster.LeaderAsync));
        return seen.All(l => l.Length > 0 && l == seen[0]);
    }
}
