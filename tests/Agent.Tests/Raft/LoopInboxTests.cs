using Consul.Core.Raft;

namespace Consul.Tests.Raft;

public sealed class LoopInboxTests
{
    [Fact]
    public void Work_the_loop_never_ran_is_abandoned_and_nothing_is_taken_after()
    {
        var inbox = new LoopInbox();
        var ran = new List<int>();
        var abandoned = new List<int>();
        Assert.True(inbox.TryWrite(() => ran.Add(1), _ => abandoned.Add(1)));
        Assert.True(inbox.TryWrite(() => ran.Add(2), _ => abandoned.Add(2)));
        Assert.True(inbox.TryWrite(() => ran.Add(3))); // nobody waits on this one

        // The loop runs one item, then stops.
        Assert.True(inbox.WaitToRead(CancellationToken.None));
        Assert.True(inbox.TryRead(out var first));
        first();
        inbox.AbandonAll(new ObjectDisposedException("loop"));

        Assert.Equal([1], ran);
        Assert.Equal([2], abandoned);
        Assert.False(inbox.TryWrite(() => ran.Add(4), _ => abandoned.Add(4)));
        Assert.False(inbox.WaitToRead(CancellationToken.None));
        Assert.Equal([1], ran);
        Assert.Equal([2], abandoned);
    }

    [Fact(Timeout = 60_000)]
    public async Task Calls_racing_a_stop_all_finish()
    {
        await using var cluster = await TestCluster.StartAsync("a", "b", "c");
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(20));
        // Many configuration reads in flight while the node stops: each ends (with a value or
        // ObjectDisposedException), none is left waiting on work the stopped loop dropped.
        var calls = Enumerable.Range(0, 2_000).Select(_ => Task.Run(() => leader.GetConfigurationAsync())).ToList();
        await leader.StopAsync();
        var (answered, refused) = (0, 0);
        foreach (var call in calls)
        {
            try
            {
                await call.WaitAsync(TimeSpan.FromSeconds(10));
                answered++;
            }
            catch (ObjectDisposedException) { refused++; }
        }
        Assert.Equal(calls.Count, answered + refused);
    }
}
