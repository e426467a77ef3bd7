using System.Collections.Concurrent;
using System.Text;
using Consul.Core.Raft;

namespace Consul.Tests.Raft;

/// <summary>RaftReceiver.StepNow: a receiving thread that finds the loop idle runs the step itself.</summary>
public sealed class RaftNodeInlineStepTests
{
    /// <summary>Keeps the receiver and what the node sends.</summary>
    private sealed class CapturingTransport : IRaftTransport
    {
        public RaftReceiver? Receiver;
        public readonly ConcurrentQueue<RaftMessage> Sent = new();
        public void Start(RaftReceiver receiver) => Receiver = receiver;
        public Task SendAsync(string address, RaftMessage message, CancellationToken cancellationToken)
        {
            Sent.Enqueue(message);
            return Task.CompletedTask;
        }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact(Timeout = 30_000)]
    public async Task An_append_stepped_now_is_persisted_acknowledged_and_applied_before_the_call_returns()
    {
        var transport = new CapturingTransport();
        var machine = new ListStateMachine();
        // A slow clock, so that the follower's own election timer stays out of the way.
        await using var node = new RaftNode(new RaftNodeOptions { Id = "f", Address = "f", BaseTick = TimeSpan.FromSeconds(5) },
            new InMemoryRaftStorage(), transport, machine);
        node.Bootstrap(new RaftConfiguration([new ServerInfo("l", "l", true), new ServerInfo("f", "f", true)]));
        await node.StartAsync();
        Assert.NotNull(transport.Receiver);

        var append = new RaftMessage
        {
            Type = MessageType.Append, From = "l", To = "f", Term = 5, Index = 1, LogTerm = 1, Commit = 2,
            Entries = [new LogEntry(2, 5, EntryType.Command, Encoding.UTF8.GetBytes("x"))],
        };
        // The loop is idle (nothing queued, no tick due for seconds), so all of it happens on this thread.
        transport.Receiver!.StepNow([append]);

        Assert.Equal(["x"], machine.Items);
        Assert.Equal(5UL, node.Status!.Term);
        Assert.Equal("l", node.LeaderId);
        Assert.Contains(transport.Sent, m => m.Type == MessageType.AppendResp && m.To == "l" && !m.Reject && m.Index == 2);
    }
}
