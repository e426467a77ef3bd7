using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Consul.Core.Raft;

namespace Consul.Tests.Raft;

/// <summary>The TCP stream transport against a real Kestrel listener, as on port 8300.</summary>
public sealed class TcpRaftTransportTests : IAsyncLifetime
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<RaftMessage> _received = new();
    private readonly TcpRaftTransport _sender = new(new GrpcRaftTransport());
    private RaftServerHost _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RaftServerHost.StartAsync();
        _server.Tcp.Start(new CollectingReceiver(_received));
    }

    public async Task DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static RaftMessage Append(ulong index, byte[]? data = null) => new()
    {
        Type = MessageType.Append, From = "a", To = "b", Term = 1, Index = index,
        Entries = data is null ? [] : [new LogEntry(index + 1, 1, EntryType.Command, data)],
    };

    [Fact(Timeout = 60_000)]
    public async Task Messages_arrive_whole_and_in_order()
    {
        for (ulong i = 0; i < 500; i++) await _sender.SendAsync(_server.Address, Append(i, [(byte)i, 2, 3]), CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => _received.Count == 500, T, "500 messages");
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (ulong)i), _received.Select(m => m.Index));
        Assert.All(_received, m => Assert.Equal(new byte[] { (byte)m.Index, 2, 3 }, m.Entries.Single().Data));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_frame_larger_than_kestrels_connection_buffer_arrives()
    {
        // Kestrel stops reading a connection once 1 MB sits unconsumed; a listener that waited for
        // whole frames in the pipe would wait for ever on this one.
        var big = new byte[5 * 1024 * 1024];
        new Random(7).NextBytes(big);
        await _sender.SendAsync(_server.Address, Append(1, big), CancellationToken.None);
        await _sender.SendAsync(_server.Address, Append(2, [1]), CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => _received.Count == 2, T, "the big frame and the one after it");
        Assert.Equal(big, _received.First().Entries.Single().Data);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(new byte[] { 0x01, 0x01, 0xff, 0xff, 0xff, 0x7f })]   // a length over the limit
    [InlineData(new byte[] { 0x01, 0x09 })]                           // an unknown version
    [InlineData(new byte[] { 0x01, 0x01, 3, 0, 0, 0, 1, 2, 3 })]      // a frame that is no Raft message
    public async Task Bad_input_closes_that_connection_and_the_listener_goes_on(byte[] garbage)
    {
        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync(IPEndPoint.Parse(_server.Address));
        await raw.SendAsync(garbage);
        using var cts = new CancellationTokenSource(T);
        Assert.Equal(0, await raw.ReceiveAsync(new byte[16], cts.Token)); // closed by the listener

        await _sender.SendAsync(_server.Address, Append(1), CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => _received.Count == 1, T, "a good message after the bad connection");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_restarted_peer_is_reached_again_after_the_backoff()
    {
        await _sender.SendAsync(_server.Address, Append(1), CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => _received.Count == 1, T, "first message");
        var port = IPEndPoint.Parse(_server.Address).Port;
        await _server.DisposeAsync();

        // The link notices the close; sends fail (refused) instead of vanishing into a dead socket.
        await PollAsync(async () =>
        {
            try { await _sender.SendAsync(_server.Address, Append(2), CancellationToken.None); return false; }
            catch (IOException) { return true; }
        }, "a send to the stopped peer fails");

        _server = await RaftServerHost.StartAsync(port);
        _server.Tcp.Start(new CollectingReceiver(_received));
        await PollAsync(async () =>
        {
            try { await _sender.SendAsync(_server.Address, Append(3), CancellationToken.None); }
            catch (IOException) { return false; }
            return _received.Any(m => m.Index == 3);
        }, "the restarted peer gets messages");
    }

    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + T;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for: " + what);
            await Task.Delay(20);
        }
    }
}

/// <summary>A receiver that keeps what arrives, for transport tests.</summary>
internal sealed class CollectingReceiver(ConcurrentQueue<RaftMessage> into) : RaftReceiver
{
    public override void Queue(RaftMessage message) => into.Enqueue(message);
    public override void StepNow(IReadOnlyList<RaftMessage> messages) { foreach (var m in messages) into.Enqueue(m); }
}
