using System.Text.Json;
using Consul.Core.Model;
using Consul.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Cluster;

/// <summary>
/// Replicas must agree: the same command bytes at the same indexes give byte-identical
/// snapshots whatever each replica's clock says, and snapshot + tail equals the straight run.
/// </summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Two_replicas_with_different_clocks_stay_byte_identical(int seed)
    {
        var log = Log(seed);
        var a = RichState.NewMachine(new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z")));
        var b = RichState.NewMachine(TimeProvider.System);
        // Replica b also runs under Turkish culture (dotted/dotless i), so culture-sensitive string handling would show.
        var turkish = System.Globalization.CultureInfo.GetCultureInfo("tr-TR");
        var options = new JsonSerializerOptions { IncludeFields = true };
        var changed = 0;
        for (var i = 0; i < log.Count; i++)
        {
            var index = (ulong)(i + 1) * 2; // gaps, as Raft's non-command entries leave
            var ra = a.Apply(index, log[i]);
            var rb = InCulture(turkish, () => b.Apply(index, log[i]));
            Assert.Equal(ra.Error, rb.Error);
            Assert.Equal(JsonSerializer.Serialize(ra.Value, options), JsonSerializer.Serialize(rb.Value, options));
            var bytes = StateSnapshotCodec.ToBytes(a.Store.Current);
            Assert.True(bytes.AsSpan().SequenceEqual(StateSnapshotCodec.ToBytes(b.Store.Current)), $"replicas diverged at command {i}");
            if (a.Store.Current.LastIndex == index) changed++;
        }
        // The run must exercise real changes, not just rejections.
        Assert.True(changed > log.Count / 3, $"only {changed} of {log.Count} commands changed state");
        Assert.NotEmpty(a.Store.Current.Tombstones);
        Assert.NotEmpty(a.Store.Current.Nodes);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Snapshot_then_tail_equals_the_straight_run(int seed)
    {
        var log = Log(seed);
        var straight = RichState.NewMachine();
        for (var i = 0; i < log.Count; i++) straight.Apply((ulong)i + 1, log[i]);

        foreach (var cut in new[] { 1, log.Count / 3, log.Count / 2, log.Count - 1 })
        {
            var head = RichState.NewMachine();
            for (var i = 0; i < cut; i++) head.Apply((ulong)i + 1, log[i]);
            var replica = RichState.NewMachine(new FakeTimeProvider(DateTimeOffset.Parse("2030-06-01T00:00:00Z")));
            replica.Restore(StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(head.Store.Current)));
            for (var i = cut; i < log.Count; i++) replica.Apply((ulong)i + 1, log[i]);
            Assert.Equal(StateSnapshotCodec.ToBytes(straight.Store.Current), StateSnapshotCodec.ToBytes(replica.Store.Current));
        }
    }

    [Fact]
    public void Lock_delays_differ_by_clock_but_never_reach_the_snapshot()
    {
        // Lock-delay is kept beside the replicated state, as in Consul: each server starts it at its own apply.
        var log = RichState.Script().Select(CommandCodec.Encode).ToList();
        var early = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var late = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:10:00Z"));
        var a = RichState.NewMachine(early);
        var b = RichState.NewMachine(late);
        for (var i = 0; i < log.Count; i++)
        {
            a.Apply((ulong)i + 1, log[i]);
            b.Apply((ulong)i + 1, log[i]);
        }
        Assert.NotEqual(a.LockDelays.DelayedUntil("locks/ephemeral"), b.LockDelays.DelayedUntil("locks/ephemeral"));
        Assert.Equal(StateSnapshotCodec.ToBytes(a.Store.Current), StateSnapshotCodec.ToBytes(b.Store.Current));
    }

    private static T InCulture<T>(System.Globalization.CultureInfo culture, Func<T> f)
    {
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = culture;
        try { return f(); }
        finally { System.Globalization.CultureInfo.CurrentCulture = saved; }
    }

    /// <summary>The rich script followed by seeded random commands, each encoded once.</summary>
    private static List<byte[]> Log(int seed) =>
        RichState.Script().Concat(RandomCommands.Generate(seed, 400)).Select(CommandCodec.Encode).ToList();
}

/// <summary>Seeded random writes over a small space of nodes, services, keys and sessions, so they collide.</summary>
internal static class RandomCommands
{
    private static readonly string[] Nodes = ["n1", "N1", "n2", "ni", "NI", "nİ"];
    private static readonly string[] Services = ["web", "db", "api"];
    private static readonly string[] Keys = ["a", "a/b", "a/c", "b", "b/x", "c/d/e", "i", "I/x"];
    private static readonly string[] Statuses = [HealthStatus.Passing, HealthStatus.Warning, HealthStatus.Critical];

    public static IEnumerable<StateCommand> Generate(int seed, int count)
    {
        var rng = new Random(seed);
        var sessions = new List<string>();
        T Pick<T>(IReadOnlyList<T> xs) => xs[rng.Next(xs.Count)];
        string? Session() => sessions.Count == 0 || rng.Next(8) == 0 ? "unknown-session" : Pick(sessions);
        byte[]? Value() => rng.Next(5) switch { 0 => null, 1 => [], _ => RandomBytes(rng, rng.Next(1, 8)) };
        ulong Index(int i) => (ulong)rng.Next(0, i + 2);

        for (var i = 0; i < count; i++)
        {
            var node = Pick(Nodes);
            var service = Pick(Services);
            var serviceId = service + rng.Next(2);
            switch (rng.Next(13))
            {
                case 0:
                    yield return new RegisterCommand
                    {
                        Node = node, Address = "10.0.0." + rng.Next(1, 4), Datacenter = "dc1",
                        NodeMeta = rng.Next(2) == 0 ? null : new() { ["m"] = rng.Next(3).ToString() },
                        Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = Pick(Statuses) },
                    };
                    break;
                case 1:
                    yield return new RegisterCommand
                    {
                        Node = node, SkipNodeUpdate = true,
                        Service = new NodeService { ID = serviceId, Service = service, Port = rng.Next(1, 4), Tags = Services.Where(_ => rng.Next(2) == 0).ToList() },
                    };
                    break;
                case 2:
                    yield return new RegisterCommand
                    {
                        Node = node, SkipNodeUpdate = true,
                        Check = new HealthCheck
                        {
                            CheckID = "chk" + rng.Next(3), Name = "c", Status = Pick(Statuses), Output = "o" + rng.Next(2),
                            ServiceID = rng.Next(2) == 0 ? "" : serviceId,
                        },
                    };
                    break;
                case 3:
                    yield return rng.Next(3) switch
                    {
                        0 => new DeregisterCommand { Node = node },
                        1 => new DeregisterCommand { Node = node, ServiceID = serviceId },
                        _ => new DeregisterCommand { Node = node, CheckID = "chk" + rng.Next(3) },
                    };
                    break;
                case 4:
                case 5:
                    yield return new KVCommand { Key = Pick(Keys), Value = Value(), Flags = (ulong)rng.Next(3) };
                    break;
                case 6:
                    yield return new KVCommand { Verb = KVOps.Cas, Key = Pick(Keys), Value = Value(), ModifyIndex = Index(i) };
                    break;
                case 7:
                    yield return rng.Next(3) switch
                    {
                        0 => new KVCommand { Verb = KVOps.Delete, Key = Pick(Keys) },
                        1 => new KVCommand { Verb = KVOps.DeleteTree, Key = Pick(Keys)[..1] },
                        _ => new KVCommand { Verb = KVOps.DeleteCas, Key = Pick(Keys), ModifyIndex = Index(i) },
                    };
                    break;
                case 8:
                {
                    var id = new Guid(RandomBytes(rng, 16)).ToString();
                    sessions.Add(id);
                    yield return new SessionCommand
                    {
                        Session = new Session
                        {
                            ID = id, Node = node, Behavior = rng.Next(2) == 0 ? SessionBehavior.Release : SessionBehavior.Delete,
                            LockDelay = rng.Next(3) * 1_000_000_000L, NodeChecks = rng.Next(3) == 0 ? [] : ["serfHealth"],
                        },
                    };
                    break;
                }
                case 9:
                case 10:
                    yield return new KVCommand { Verb = rng.Next(3) == 0 ? KVOps.Unlock : KVOps.Lock, Key = Pick(Keys), Value = Value(), Session = Session() };
                    break;
                case 11:
                    yield return new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = Session()! } };
                    break;
                default:
                {
                    var ops = new List<TxnOp>();
                    for (var n = rng.Next(1, 5); n > 0; n--)
                    {
                        ops.Add(rng.Next(5) switch
                        {
                            0 => new TxnOp { KV = new TxnKVOp("check-index", Pick(Keys), 0, null, Index(i), null) },
                            1 => new TxnOp { KV = new TxnKVOp("delete", Pick(Keys), 0, null, 0, null) },
                            2 => new TxnOp { Node = new TxnNodeOp("set", new Node { Name = node, Address = "10.1.0." + rng.Next(3) }) },
                            3 => new TxnOp { KV = new TxnKVOp("lock", Pick(Keys), 0, Value(), 0, Session()) },
                            _ => new TxnOp { KV = new TxnKVOp("set", Pick(Keys), (ulong)rng.Next(2), Value(), 0, null) },
                        });
                    }
                    yield return new TxnCommand { Ops = ops };
                    break;
                }
            }
        }
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
