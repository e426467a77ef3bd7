using System.Text.Json.Nodes;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// Real `consul agent` processes forming one cluster, each on its own loopback address with the
/// default ports, data dirs under one temp dir. Disposal kills every process it started (by PID)
/// and removes the temp dir.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("consul-cluster-").FullName;
    private readonly Dictionary<string, AgentProcess> _agents = new();
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>Fast Raft timing so elections settle quickly; everything else is Consul's defaults.</summary>
    private string ConfigFile()
    {
        var path = Path.Combine(_root, "fast.hcl");
        if (!File.Exists(path)) File.WriteAllText(path, "performance { raft_multiplier = 1 }\n");
        return path;
    }

    public string DataDir(string name) => Path.Combine(_root, name);

    public AgentProcess this[string name] => _agents[name];

    public AgentProcess StartServer(string name, string address, int bootstrapExpect, string join, params string[] extra)
    {
        List<string> args = ["agent", "-server", $"-node={name}", $"-bind={address}", $"-client={address}", $"-data-dir={DataDir(name)}",
            $"-config-file={ConfigFile()}", $"-retry-join={join}", "-retry-interval=1s"];
        if (bootstrapExpect > 0) args.Add($"-bootstrap-expect={bootstrapExpect}");
        args.AddRange(extra);
        return Add(name, AgentProcess.Start(address, args));
    }

    public AgentProcess StartClient(string name, string address, string join, params string[] extra) =>
        Add(name, AgentProcess.Start(address, ["agent", $"-node={name}", $"-bind={address}", $"-client={address}",
            $"-data-dir={DataDir(name)}", $"-retry-join={join}", "-retry-interval=1s", .. extra]));

    /// <summary>Writes a config file under the cluster's temp dir and returns its path (for -config-file).</summary>
    public string WriteConfig(string fileName, string hcl)
    {
        var path = Path.Combine(_root, fileName);
        File.WriteAllText(path, hcl);
        return path;
    }

    private AgentProcess Add(string name, AgentProcess agent)
    {
        _agents[name] = agent;
        return agent;
    }

    public async Task<(int Status, string Body)> GetAsync(string name, string path)
    {
        using var resp = await Http.GetAsync(_agents[name].HttpAddr + path);
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    public async Task<(int Status, string Body)> PutAsync(string name, string path, string body)
    {
        using var resp = await Http.PutAsync(_agents[name].HttpAddr + path, new StringContent(body));
        return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
    }

    public async Task<string> LeaderAsync(string name)
    {
        var (status, body) = await GetAsync(name, "/v1/status/leader");
        return status == 200 ? body.Trim().Trim('"') : "";
    }

    /// <summary>Polls until <paramref name="condition"/> holds; on timeout fails with the description and every agent's output.</summary>
    public Task WaitUntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition) =>
        ProcessPoll.UntilAsync(what, timeout, condition, LogTails);

    private static string Tail(string output) => output.Length <= 6000 ? output : output[^6000..];

    public async Task<JsonNode?> JsonAsync(string name, string path)
    {
        var (status, body) = await GetAsync(name, path);
        if (status != 200) throw new InvalidOperationException($"{path} on {name}: {status} {body}");
        return JsonNode.Parse(body);
    }

    /// <summary>Stops an agent at once (as a crash or `docker kill` would).</summary>
    public async Task KillAsync(string name)
    {
        var agent = _agents[name];
        SignalSender.Send(agent.Pid, SignalSender.SIGKILL);
        await agent.DisposeAsync();
        _agents.Remove(name);
    }

    /// <summary>Freezes an agent (SIGSTOP): its sockets stay open but nothing answers, like a long GC pause or a hung VM.</summary>
    public void Pause(string name) => SignalSender.Send(_agents[name].Pid, SignalSender.SIGSTOP);

    /// <summary>Lets a paused agent run again (SIGCONT).</summary>
    public void Resume(string name) => SignalSender.Send(_agents[name].Pid, SignalSender.SIGCONT);

    /// <summary>Whether this cluster has a (possibly paused) process for the agent: false after KillAsync until it is started again.</summary>
    public bool IsStarted(string name) => _agents.ContainsKey(name);

    /// <summary>The tail of every current agent's output, for failure messages.</summary>
    public string LogTails() =>
        string.Join("\n", _agents.Select(a => $"---- {a.Key} ({(a.Value.HasExited ? "exited" : "running")})\n{Tail(a.Value.Output)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents.Values) await agent.DisposeAsync();
        _agents.Clear();
        Http.Dispose();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
