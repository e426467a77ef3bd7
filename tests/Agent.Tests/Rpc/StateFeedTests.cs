using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Tests.Rpc;

public sealed class StateFeedTests
{
    private static byte[] Cmd(int i) => [(byte)i];

    [Fact]
    public void A_new_replica_gets_the_full_state_then_new_commands()
    {
        var feed = new StateFeed(new StateStore());
        feed.Applied(1, Cmd(1));
        var reader = feed.Subscribe(0, out var full, out var fullIndex);
        Assert.NotNull(full);
        Assert.Equal(1UL, fullIndex);
        feed.Applied(2, Cmd(2));
        Assert.True(reader.TryRead(out var frame));
        Assert.Equal((FeedFrameKind.Command, 2UL), (frame.Kind, frame.Index));
    }

    [Fact]
    public void A_replica_within_the_kept_history_catches_up_without_a_full_state()
    {
        var feed = new StateFeed(new StateStore(), capacity: 4);
        for (var i = 1; i <= 6; i++) feed.Applied((ulong)i * 10, Cmd(i));
        var reader = feed.Subscribe(40, out var full, out _);
        Assert.Null(full);
        var indexes = new List<ulong>();
        while (reader.TryRead(out var f)) indexes.Add(f.Index);
        Assert.Equal([50UL, 60UL], indexes);
    }

    [Fact]
    public void A_replica_behind_the_kept_history_gets_the_full_state()
    {
        var feed = new StateFeed(new StateStore(), capacity: 2);
        for (var i = 1; i <= 5; i++) feed.Applied((ulong)i, Cmd(i));
        feed.Subscribe(2, out var full, out var index);
        Assert.NotNull(full);
        Assert.Equal(5UL, index);
    }

    [Fact]
    public void A_replica_ahead_of_this_server_waits_for_newer_commands()
    {
        var feed = new StateFeed(new StateStore());
        feed.Applied(3, Cmd(3));
        var reader = feed.Subscribe(9, out var full, out _);
        Assert.Null(full);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void A_slow_replica_is_cut_off_instead_of_holding_the_server_back()
    {
        var feed = new StateFeed(new StateStore(), subscriberBuffer: 2);
        var reader = feed.Subscribe(0, out _, out _);
        for (var i = 1; i <= 3; i++) feed.Applied((ulong)i, Cmd(i));
        Assert.Equal(0, feed.SubscriberCount);
        while (reader.TryRead(out _)) { }
        Assert.True(reader.Completion.IsFaulted);
        Assert.IsType<FeedOverflowException>(reader.Completion.Exception!.InnerException);
    }

    [Fact]
    public void Restoring_a_snapshot_ends_every_subscription()
    {
        var feed = new StateFeed(new StateStore());
        var reader = feed.Subscribe(0, out _, out _);
        feed.Restored(100);
        Assert.True(reader.Completion.IsCompleted);
        Assert.Equal(100UL, feed.LastIndex);
    }
}
