using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Consul.Core.Events;
using Consul.Core.Raft;

namespace Consul.Tests.Raft;

/// <summary>A state machine that records every applied command, in order.</summary>
public sealed class ListStateMachine : IRaftStateMachine
{
    private readonly object _gate = new();
    private List<string> _items = new();

    public IReadOnlyList<string> Items { get { lock (_gate) return _items.ToArray(); } }

    public object? Apply(ulong index, ReadOnlyMemory<byte> command)
    {
        lock (_gate)
        {
            _items.Add(Encoding.UTF8.GetString(command.Span));
            return _items.Count;
        }
    }

    public void WriteSnapshot(Stream destination)
    {
        lock (_gate) JsonSerializer.Serialize(destination, _items);
    }

    public void Restore(Stream source)
    {
        var items = JsonSerializer.Deserialize<List<string>>(source) ?? new();
        lock (_gate) _items = items;
    }
}

/// <summary>A few in-process servers over <see cref="InMemoryRaftNetwork"/> with real time.</summary>
public sealed class TestCluster : IAsyncDisposable
{
    public InMemoryRaftNetwork Network { get; } = new();
    public Dictionary<string, RaftNode> Nodes { get; } = new();
    public Dictionary<string, ListStateMachine> Machines { get; } = new();
    public EventStream Events { get; } = new();
    private readonly Func<string, RaftNodeOptions> _options;

    public TestCluster(Func<string, RaftNodeOptions>? options = null)
    {
        _options = options ?? (id => Options(id));
    }

    public static RaftNodeOptions Options(string id, int snapshotThreshold = 8192, int trailing = 10240) => new()
    {
        Id = id, Address = id, BaseTick = TimeSpan.FromMilliseconds(20),
        SnapshotThreshold = snapshotThreshold, TrailingLogs = trailing,
    };

    public RaftNode Add(string id, IRaftStorage? storage = null)
    {
        var sm = new ListStateMachine();
        var node = new RaftNode(_options(id), storage ?? new InMemoryRaftStorage(), new InMemoryRaftTransport(Network, id), sm,
            events: Events, random: new Random(id.GetHashCode()));
        Nodes[id] = node;
        Machines[id] = sm;
        return node;
    }

    public static async Task<TestCluster> StartAsync(params string[] ids)
    {
        var c = new TestCluster();
        var config = new RaftConfiguration(ids.Select(i => new ServerInfo(i, i, true)));
        foreach (var id in ids) c.Add(id).Bootstrap(config);
        foreach (var n in c.Nodes.Values) await n.StartAsync();
        return c;
    }

    public RaftNode? Leader => Nodes.Values.FirstOrDefault(n => n.IsLeader);

    public async Task<RaftNode> WaitForLeaderAsync(TimeSpan timeout, string? except = null)
    {
        RaftNode? leader = null;
        await WaitUntilAsync(() => (leader = Nodes.Values.FirstOrDefault(n => n.IsLeader && n.Id != except)) is not null, timeout, "a leader");
        return leader!;
    }

    /// <summary>Proposes at whoever leads, retrying across leader changes, until it is applied.</summary>
    public async Task<RaftApplyResult> ProposeAsync(string command, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var leader = await WaitForLeaderAsync(timeout - deadline.Elapsed);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { return await leader.ProposeAsync(Encoding.UTF8.GetBytes(command), cts.Token); }
            catch (Exception e) when (e is NotLeaderException or OperationCanceledException && deadline.Elapsed < timeout) { }
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout.TotalSeconds:F1}s waiting for {what}");
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes.Values) await n.DisposeAsync();
    }
}
