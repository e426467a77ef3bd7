using Consul.Core.Cluster;
using Consul.Core.State;
using Consul.Tests.Raft;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Cluster;

/// <summary>StateMachine.Restore and the RaftFsm adapter, without a Raft cluster.</summary>
public sealed class RaftFsmRestoreTests
{
    private static readonly TimeSpan T = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 20_000)]
    public async Task Blocking_kv_query_wakes_when_a_snapshot_is_restored()
    {
        var fsm = RichState.NewMachine();
        RichState.ApplyAll(fsm, [new KVCommand { Key = "k", Value = RichState.Bytes("old") }]);
        var source = RichState.NewMachine();
        RichState.ApplyAll(source, [new KVCommand { Key = "x" }, new KVCommand { Key = "y" }, new KVCommand { Key = "k", Value = RichState.Bytes("new") }]);

        var query = BlockingQuery.RunAsync(fsm.Store, minIndex: 1, TimeSpan.FromMinutes(1), KVReads.WatchTables,
            s => KVReads.Get(s, "k"), TimeProvider.System, new Random(1), CancellationToken.None);
        await TestCluster.WaitUntilAsync(() => fsm.Store.IsWatched(Tables.KV), T, "the query to block");
        Assert.False(query.IsCompleted);

        fsm.Restore(source.Store.Current);

        var r = await query.WaitAsync(T);
        Assert.Equal("new", System.Text.Encoding.UTF8.GetString(r.Value!.Value!));
        Assert.Equal(3UL, r.Index);
    }

    [Fact(Timeout = 20_000)]
    public async Task Restore_wakes_watchers_of_every_table_even_unchanged_ones()
    {
        var fsm = RichState.NewMachine();
        string[] tables = [Tables.Nodes, Tables.Services, Tables.Checks, Tables.KV, Tables.Tombstones, Tables.Sessions];
        var watches = tables.Select(fsm.Store.WatchTable).ToArray();
        fsm.Restore(new StateSnapshot());
        await Task.WhenAll(watches).WaitAsync(T);
        Assert.All(watches, w => Assert.True(w.IsCompletedSuccessfully));
    }

    [Fact]
    public void Restore_clears_lock_delays_and_applying_continues_after_the_snapshot()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var fsm = RichState.NewMachine(time);
        RichState.ApplyAll(fsm, RichState.Script());
        Assert.NotNull(fsm.LockDelays.DelayedUntil("locks/ephemeral")); // S2's destroy started it
        var snapshot = fsm.Store.Current;

        var other = RichState.NewMachine(time);
        RichState.ApplyAll(other, RichState.Script());
        other.Restore(StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(snapshot)));
        Assert.Null(other.LockDelays.DelayedUntil("locks/ephemeral"));
        Assert.Equal(snapshot.LastIndex, other.AppliedIndex);

        var ex = Assert.Throws<InvalidOperationException>(() =>
            other.Apply(snapshot.LastIndex, CommandCodec.Encode(new KVCommand { Key = "late" })));
        Assert.Contains("not after the last applied index", ex.Message);
        Assert.True(other.Apply(snapshot.LastIndex + 1, CommandCodec.Encode(new KVCommand { Key = "next" })).Ok);
        Assert.Equal(snapshot.LastIndex + 1, other.Store.Current.KV["next"].CreateIndex);
    }

    [Fact]
    public void RaftFsm_applies_and_reports_the_exact_bytes_of_every_command()
    {
        var fsm = new RaftFsm(RichState.NewMachine());
        var seen = new List<(ulong Index, byte[] Bytes)>();
        fsm.Applied += (i, b) => seen.Add((i, b.ToArray()));

        var ok = CommandCodec.Encode(new RegisterCommand { Node = "n1", Address = "10.0.0.1" });
        var rejected = CommandCodec.Encode(new RegisterCommand { Address = "10.0.0.2" });
        var r1 = Assert.IsType<ApplyResult>(fsm.Apply(3, ok));
        var r2 = Assert.IsType<ApplyResult>(fsm.Apply(7, rejected));

        Assert.True(r1.Ok);
        Assert.Equal(3UL, r1.Index);
        Assert.Equal("Must provide node", r2.Error);
        Assert.Equal([3UL, 7UL], seen.Select(x => x.Index));
        Assert.Equal(ok, seen[0].Bytes);
        Assert.Equal(rejected, seen[1].Bytes);
        Assert.Equal(3UL, fsm.StateMachine.Store.Current.Nodes["n1"].CreateIndex);
    }

    [Fact]
    public void A_failing_observer_neither_stops_the_apply_nor_the_other_observers()
    {
        var fsm = new RaftFsm(RichState.NewMachine());
        var calls = 0;
        fsm.Applied += (_, _) => throw new InvalidOperationException("feed broken");
        fsm.Applied += (_, _) => calls++;
        var r = Assert.IsType<ApplyResult>(fsm.Apply(1, CommandCodec.Encode(new KVCommand { Key = "k" })));
        Assert.True(r.Ok);
        Assert.Equal(1, calls);
        Assert.True(fsm.StateMachine.Store.Current.KV.ContainsKey("k"));
    }

    [Fact]
    public void RaftFsm_snapshot_restores_into_another_fsm_and_raises_Restored()
    {
        var source = new RaftFsm(RichState.NewMachine());
        RichState.ApplyAll(source.StateMachine, RichState.Script());
        using var stream = new MemoryStream();
        source.WriteSnapshot(stream);

        var target = new RaftFsm(RichState.NewMachine());
        RichState.ApplyAll(target.StateMachine, [new KVCommand { Key = "only-here" }]);
        StateSnapshot? restored = null;
        target.Restored += s => restored = s;
        stream.Position = 0;
        target.Restore(stream);

        Assert.Same(target.StateMachine.Store.Current, restored);
        Assert.Equal(stream.ToArray(), StateSnapshotCodec.ToBytes(target.StateMachine.Store.Current));
        Assert.False(target.StateMachine.Store.Current.KV.ContainsKey("only-here"));
    }

    [Fact]
    public void A_corrupt_snapshot_leaves_the_state_untouched()
    {
        var fsm = new RaftFsm(RichState.NewMachine());
        RichState.ApplyAll(fsm.StateMachine, [new KVCommand { Key = "k" }]);
        var before = fsm.StateMachine.Store.Current;
        var restored = false;
        fsm.Restored += _ => restored = true;
        Assert.Throws<InvalidDataException>(() => fsm.Restore(new MemoryStream("not a snapshot at all"u8.ToArray())));
        Assert.Same(before, fsm.StateMachine.Store.Current);
        Assert.False(restored);
    }
}
