using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Consul.Core.Raft;
using Consul.Core.Rpc;
using Consul.Tests.EndToEnd;
using Grpc.Core;

namespace Consul.Tests.Tls;

/// <summary>
/// Real server and client processes on loopback (127.0.0.42-46) with tls.internal_rpc
/// verify_incoming, verify_outgoing and verify_server_hostname: they form a cluster over
/// mutual TLS; a server with a certificate from another CA, or one for another datacenter's
/// name, is refused and the refusal is logged.
/// </summary>
[Collection(TlsProcesses.Name)]
public sealed class RpcMutualTlsTests : IAsyncLifetime
{
    private readonly TlsWorkDir _dir = new();
    private readonly Dictionary<string, AgentProcess> _agents = new();
    private readonly LineLogger _testLog = new();
    private bool _disposed;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public async Task InitializeAsync()
    {
        await _dir.ConsulOk("", "tls", "ca", "create");
        await _dir.ConsulOk("", "tls", "cert", "create", "-server");
        await _dir.ConsulOk("", "tls", "cert", "create", "-client");
        await _dir.ConsulOk("", "tls", "cert", "create", "-server", "-dc=dc2");
        await _dir.ConsulOk("other", "tls", "ca", "create");
        await _dir.ConsulOk("other", "tls", "cert", "create", "-server");
    }

    public RpcMutualTlsTests() => AppDomain.CurrentDomain.ProcessExit += KillAll;

    /// <summary>Agents of a test abandoned at its timeout must not outlive the test run.</summary>
    private void KillAll(object? sender, EventArgs e)
    {
        lock (_agents)
            foreach (var a in _agents.Values)
                if (!a.HasExited) SignalSender.Send(a.Pid, SignalSender.SIGKILL);
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillAll;
        List<AgentProcess> agents;
        lock (_agents)
        {
            _disposed = true;
            agents = [.. _agents.Values];
        }
        foreach (var a in agents) await a.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    private string Config(string name, string ca, string cert, string key) => _dir.Write(name + ".hcl", $$"""
        performance { raft_multiplier = 1 }
        tls {
          defaults { ca_file = "{{_dir[ca]}}", cert_file = "{{_dir[cert]}}", key_file = "{{_dir[key]}}" }
          internal_rpc { verify_incoming = true, verify_outgoing = true, verify_server_hostname = true }
        }
        """);

    private AgentProcess Start(string name, string address, string config, params string[] extra)
    {
        List<string> args = ["agent", $"-node={name}", $"-bind={address}", $"-client={address}", $"-data-dir={_dir["data-" + name]}",
            $"-config-file={config}", "-retry-join=127.0.0.42", "-retry-interval=1s", .. extra];
        lock (_agents)
        {
            // A test that ran past its timeout keeps going after disposal: start nothing more then.
            ObjectDisposedException.ThrowIf(_disposed, this);
            var agent = AgentProcess.Start(address, args);
            _agents[name] = agent;
            return agent;
        }
    }

    private string Logs() => string.Join("\n", _agents.ToArray().Select(a => $"---- {a.Key}\n{(a.Value.Output.Length > 5000 ? a.Value.Output[^5000..] : a.Value.Output)}"));

    private Task WaitForLog(string agent, string text, int seconds = 30) =>
        TlsWorkDir.WaitUntil($"{agent} to log: {text}", TimeSpan.FromSeconds(seconds),
            () => Task.FromResult(_agents[agent].Output.Contains(text, StringComparison.Ordinal)), Logs);

    private async Task<string> Leader(string address) => (await _http.GetStringAsync($"http://{address}:8500/v1/status/leader")).Trim().Trim('"');

    [Fact(Timeout = 150_000)]
    public async Task Servers_and_a_client_form_a_cluster_over_mutual_tls_and_refuse_wrong_certificates()
    {
        var good = Config("good", "consul-agent-ca.pem", "dc1-server-consul-0.pem", "dc1-server-consul-0-key.pem");
        Start("s1", "127.0.0.42", good, "-server", "-bootstrap-expect=2");
        Start("s2", "127.0.0.43", good, "-server", "-bootstrap-expect=2");
        Start("c1", "127.0.0.44", Config("client", "consul-agent-ca.pem", "dc1-client-consul-0.pem", "dc1-client-consul-0-key.pem"));

        // The client learns the leader over its TLS feed from a server; a write through it lands on both servers.
        await TlsWorkDir.WaitUntil("a leader seen by the client", TimeSpan.FromSeconds(60), async () => (await Leader("127.0.0.44")).Length > 0, Logs);
        await TlsWorkDir.WaitUntil("a write through the client", TimeSpan.FromSeconds(10), async () =>
        {
            using var put = await _http.PutAsync("http://127.0.0.44:8500/v1/kv/tls-e2e", new StringContent("over-mtls"));
            return put.IsSuccessStatusCode;
        }, Logs);
        foreach (var server in new[] { "127.0.0.42", "127.0.0.43" })
            await TlsWorkDir.WaitUntil($"the write on {server}", TimeSpan.FromSeconds(10),
                async () => await _http.GetStringAsync($"http://{server}:8500/v1/kv/tls-e2e?raw&stale") == "over-mtls", Logs);
        await A_client_certificate_cannot_speak_raft();
        var leaderAddr = await Leader("127.0.0.42");
        var leader = leaderAddr.StartsWith("127.0.0.42", StringComparison.Ordinal) ? "s1" : "s2";

        // A server whose certificate comes from another CA: the leader refuses it, and it refuses the leader.
        Start("bad-ca", "127.0.0.45", Config("otherca", "other/consul-agent-ca.pem", "other/dc1-server-consul-0.pem", "other/dc1-server-consul-0-key.pem"), "-server");
        await WaitForLog(leader, "[ERROR] agent.rpc.tls: refusing server 127.0.0.45:8300: x509: certificate signed by unknown authority");
        await WaitForLog("bad-ca", "[ERROR] agent.server.rpc: TLS handshake error: refusing client certificate \"CN=server.dc1.consul\": x509: certificate signed by unknown authority");

        // Let it leave so the Raft configuration is back to the two good servers before the next one.
        try
        {
            using var leave = await _http.PutAsync("http://127.0.0.45:8500/v1/agent/leave", null);
        }
        catch (HttpRequestException)
        {
            // The agent may shut down before its answer is out; the peer list below is what counts.
        }
        await TlsWorkDir.WaitUntil("the refused server out of the Raft peers", TimeSpan.FromSeconds(20),
            async () => !(await _http.GetStringAsync("http://127.0.0.42:8500/v1/status/peers")).Contains("127.0.0.45", StringComparison.Ordinal), Logs);

        // A server with a certificate of this CA but for server.dc2.consul: verify_server_hostname refuses it.
        Start("wrong-name", "127.0.0.46", Config("wrongname", "consul-agent-ca.pem", "dc2-server-consul-0.pem", "dc2-server-consul-0-key.pem"), "-server");
        leaderAddr = await Leader("127.0.0.42");
        leader = leaderAddr.StartsWith("127.0.0.42", StringComparison.Ordinal) ? "s1" : "s2";
        await WaitForLog(leader, "[ERROR] agent.rpc.tls: refusing server 127.0.0.46:8300: x509: certificate is valid for server.dc2.consul, localhost, not server.dc1.consul");

        // The good cluster kept its leader, and the wrongly certified servers never got the data.
        Assert.NotEqual("", await Leader("127.0.0.44"));
        using var onWrong = await _http.GetAsync("http://127.0.0.46:8500/v1/kv/tls-e2e?stale");
        Assert.NotEqual(200, (int)onWrong.StatusCode);
        var members = JsonNode.Parse(await _http.GetStringAsync("http://127.0.0.44:8500/v1/agent/members"))!.AsArray();
        Assert.Contains(members, m => (string?)m!["Name"] == "c1");
    }

    /// <summary>verify_server_hostname on the incoming side: a valid client agent certificate is refused on the Raft service.</summary>
    private async Task A_client_certificate_cannot_speak_raft()
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(_dir["consul-agent-ca.pem"]);
        var tls = new RpcClientTls
        {
            Roots = roots,
            Certificate = X509Certificate2.CreateFromPemFile(_dir["dc1-client-consul-0.pem"], _dir["dc1-client-consul-0-key.pem"]),
            ServerName = "server.dc1.consul",
            Log = _testLog,
        };
        // Raft's stream connection: the TLS handshake succeeds (the CA is right), then the listener
        // refuses the certificate and closes the connection, so sends soon fail.
        await using (var stream = new TcpRaftTransport(new GrpcRaftTransport(), tls) { ReconnectBackoff = TimeSpan.Zero })
        {
            var heartbeat = new RaftMessage { Type = MessageType.Heartbeat, From = "intruder", To = "s1", Term = 1_000_000 };
            await TlsWorkDir.WaitUntil("the Raft stream refuses a client certificate", TimeSpan.FromSeconds(20), async () =>
            {
                try { await stream.SendAsync("127.0.0.42:8300", heartbeat, CancellationToken.None); return false; }
                catch (IOException) { return true; }
            }, Logs);
        }
        await WaitForLog("s1", "[ERROR] agent.server.rpc: refusing Raft connection from 127.0.0.");
        Assert.Contains("certificate \"CN=client.dc1.consul\" is not valid for server.dc1.consul", _agents["s1"].Output);

        using var channel = ServerRpcClient.Channels(tls)("127.0.0.42:8300");
        using var call = channel.CreateCallInvoker().AsyncClientStreamingCall(RaftGrpcMethods.InstallSnapshot, null,
            new CallOptions(deadline: DateTime.UtcNow.AddSeconds(20)));
        await call.RequestStream.CompleteAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.True(refused.StatusCode == StatusCode.PermissionDenied, refused.Status.Detail + "\n" + string.Join("\n", _testLog.Lines));
        await WaitForLog("s1", "[ERROR] agent.server.rpc: refusing Raft connection from 127.0.0.");
        Assert.Contains("certificate \"CN=client.dc1.consul\" is not valid for server.dc1.consul", _agents["s1"].Output);
    }
}

/// <summary>Keeps what a component logs, for failure messages.</summary>
internal sealed class LineLogger : Microsoft.Extensions.Logging.ILogger
{
    public List<string> Lines { get; } = [];
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
        Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines) Lines.Add(formatter(state, exception));
    }
}
