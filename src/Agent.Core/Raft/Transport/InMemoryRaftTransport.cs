using System.Collections.Concurrent;

namespace Consul.Core.Raft;

/// <summary>Connects in-process servers (tests, benchmarks); servers can be cut off to simulate failures.</summary>
public sealed class InMemoryRaftNetwork
{
    private readonly ConcurrentDictionary<string, Action<RaftMessage>> _handlers = new();
    private readonly ConcurrentDictionary<string, bool> _isolated = new();

    internal void Register(string address, Action<RaftMessage> handler) => _handlers[address] = handler;
    internal void Unregister(string address) => _handlers.TryRemove(address, out _);

    /// <summary>Cuts a server off from everyone (both directions) until <see cref="Reconnect"/>.</summary>
    public void Isolate(string address) => _isolated[address] = true;
    public void Reconnect(string address) => _isolated.TryRemove(address, out _);

    internal void Deliver(string from, string to, RaftMessage m)
    {
        if (_isolated.ContainsKey(from) || _isolated.ContainsKey(to)) throw new IOException($"{to} unreachable");
        if (!_handlers.TryGetValue(to, out var h)) throw new IOException($"{to} unreachable");
        h(m);
    }
}

/// <summary>An <see cref="IRaftTransport"/> over <see cref="InMemoryRaftNetwork"/>.</summary>
public sealed class InMemoryRaftTransport(InMemoryRaftNetwork network, string address) : IRaftTransport
{
    // Queued, never stepped on the sender's thread: that is another node's loop.
    public void Start(RaftReceiver receiver) => network.Register(address, receiver.Queue);

    public Task SendAsync(string to, RaftMessage message, CancellationToken cancellationToken)
    {
        network.Deliver(address, to, message);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        network.Unregister(address);
        return ValueTask.CompletedTask;
    }
}
