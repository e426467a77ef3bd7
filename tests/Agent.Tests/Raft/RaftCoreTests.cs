using Consul.Core.Raft;

namespace Consul.Tests.Raft;

/// <summary>Focused scenarios for the pure core, driven message by message.</summary>
public sealed class RaftCoreTests
{
    /// <summary>Lossless in-order network for a handful of cores; servers can be isolated.</summary>
    private sealed class CoreNet
    {
        public readonly Dictionary<string, RaftCore> Cores = new();
        public readonly List<RaftMessage> Queue = new();
        public readonly HashSet<string> Isolated = new();
        public int Rejections;

        public static RaftConfiguration Config(params string[] ids) => new(ids.Select(i => new ServerInfo(i, i, true)));

        public RaftCore Add(string id, HardState hs, IEnumerable<LogEntry> log, int maxEntries = 64, int seed = 0)
        {
            var core = new RaftCore(new RaftCoreOptions { Id = id, MaxEntriesPerMessage = maxEntries }, new Random(seed == 0 ? id.GetHashCode() : seed), hs, null, log);
            Cores[id] = core;
            return core;
        }

        public void Process()
        {
            foreach (var c in Cores.Values)
                while (c.HasReady)
                {
                    var rd = c.GetReady();
                    foreach (var m in rd.Messages)
                        if (!Isolated.Contains(m.From) && !Isolated.Contains(m.To)) Queue.Add(m);
                    c.Advance(rd);
                }
        }

        /// <summary>Delivers one message (the oldest); returns it.</summary>
        public RaftMessage? DeliverOne()
        {
            Process();
            if (Queue.Count == 0) return null;
            var m = Queue[0];
            Queue.RemoveAt(0);
            if (m.Type == MessageType.AppendResp && m.Reject) Rejections++;
            Cores[m.To].Step(m);
            Process();
            return m;
        }

        public void DeliverAll() { while (DeliverOne() is not null) { } }

        public void Tick(int n = 1)
        {
            for (var i = 0; i < n; i++)
            {
                foreach (var c in Cores.Values) c.Tick();
                DeliverAll();
            }
        }

        public RaftCore? Leader => Cores.Values.Where(c => c.Role == RaftRole.Leader).MaxBy(c => c.Term);

        public RaftCore WaitLeader(int maxTicks = 200)
        {
            for (var i = 0; i < maxTicks; i++)
            {
                if (Leader is { } l && !Isolated.Contains(l.Id)) return l;
                Tick();
            }
            throw new InvalidOperationException("no leader");
        }

        public static CoreNet Bootstrapped(params string[] ids)
        {
            var net = new CoreNet();
            var boot = RaftCore.BootstrapEntry(Config(ids));
            foreach (var id in ids) net.Add(id, new HardState(1, null, 0), [boot]);
            return net;
        }
    }

    [Fact]
    public void Leader_does_not_commit_an_old_term_entry_by_counting_replicas()
    {
        // a wrote index 2 in term 2 as leader but nobody got it; now a leads again in term 4.
        var net = new CoreNet();
        var boot = RaftCore.BootstrapEntry(CoreNet.Config("a", "b", "c"));
        var a = net.Add("a", new HardState(3, null, 0), [boot, new LogEntry(2, 2, EntryType.Command, [7])], maxEntries: 1);
        net.Add("b", new HardState(3, null, 0), [boot]);
        net.Add("c", new HardState(3, null, 0), [boot]);
        net.Isolated.Add("c");
        // Only a can win (its log is longest); b's lease since start must run out first.
        for (var i = 0; i < 200 && a.Role != RaftRole.Leader; i++) { foreach (var x in net.Cores.Values) x.Tick(); net.Process(); while (net.Queue.Count > 0 && a.Role != RaftRole.Leader) net.DeliverOne(); }
        Assert.Equal(RaftRole.Leader, a.Role);
        net.Queue.Clear();
        net.Process();
        net.Queue.Clear();
        // The new leader's first appends went out on becoming leader; resend by heartbeat tick.
        a.Tick();
        net.Process();
        // Step until b holds index 2 (term 2) but not yet the term-4 no-op at 3.
        var b = net.Cores["b"];
        net.Process();
        while (b.LastIndex < 2) Assert.NotNull(net.DeliverOne());
        Assert.Equal(2UL, b.LastIndex);
        // Index 2 is on a quorum (a, b) but from term 2: Figure 8 says it must not commit yet.
        while (net.Queue.Count > 0 && net.Queue[0].Type == MessageType.AppendResp)
        {
            net.DeliverOne();
            if (b.LastIndex < 3) Assert.True(a.CommitIndex < 2, "committed an old-term entry by counting");
        }
        net.DeliverAll();
        net.Tick(3);
        Assert.Equal(3UL, a.CommitIndex);
    }

    [Fact]
    public void Pre_vote_keeps_a_partitioned_server_from_inflating_terms_and_disrupting()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        var term = leader.Term;
        var loner = net.Cores.Values.First(c => c != leader);
        net.Isolated.Add(loner.Id);
        net.Tick(100);
        Assert.Equal(term, loner.Term);
        net.Isolated.Remove(loner.Id);
        net.Tick(30);
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal(term, leader.Term);
        Assert.Equal(leader.Id, loner.Leader);
    }

    [Fact]
    public void Check_quorum_makes_an_isolated_leader_step_down()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        net.Isolated.Add(leader.Id);
        net.Tick(2 * leader.Options.ElectionTicks + 1);
        Assert.NotEqual(RaftRole.Leader, leader.Role);
        Assert.False(leader.TryLeaseRead(out _));
        var other = net.WaitLeader();
        Assert.NotEqual(leader.Id, other.Id);
    }

    [Fact]
    public void Conflicting_follower_log_is_repaired_with_few_rejections()
    {
        // c holds 200 entries from an old term that never committed; a and b moved on.
        var net = new CoreNet();
        var boot = RaftCore.BootstrapEntry(CoreNet.Config("a", "b", "c"));
        var good = new[] { boot }.Concat(Enumerable.Range(2, 50).Select(i => new LogEntry((ulong)i, 3, EntryType.Command, [1]))).ToArray();
        var stale = new[] { boot }.Concat(Enumerable.Range(2, 200).Select(i => new LogEntry((ulong)i, 2, EntryType.Command, [2]))).ToArray();
        var a = net.Add("a", new HardState(3, null, 0), good);
        net.Add("b", new HardState(3, null, 0), good);
        var c = net.Add("c", new HardState(3, null, 0), stale);
        var leader = net.WaitLeader();
        Assert.NotEqual("c", leader.Id);
        net.Tick(5);
        Assert.Equal(leader.LastIndex, c.LastIndex);
        Assert.Equal(leader.CommitIndex, c.CommitIndex);
        Assert.True(net.Rejections <= 4, $"{net.Rejections} rejections");
    }

    [Fact]
    public void Leadership_transfer_hands_over_in_the_next_term()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        leader.Propose([1]);
        net.DeliverAll();
        var target = net.Cores.Values.First(c => c != leader);
        Assert.Equal(ProposeError.None, leader.TransferLeadership(target.Id));
        Assert.Equal(ProposeError.TransferInProgress, leader.Propose([2]).Error);
        net.DeliverAll();
        Assert.Equal(RaftRole.Leader, target.Role);
        Assert.Equal(leader.Term, target.Term);
        Assert.NotEqual(RaftRole.Leader, leader.Role);
    }

    [Fact]
    public void Removed_leader_steps_down_once_its_removal_commits()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        net.Tick(2);
        var r = leader.ProposeConfChange(ConfChangeKind.RemoveServer, leader.Id, "");
        Assert.True(r.Ok);
        net.DeliverAll();
        Assert.NotEqual(RaftRole.Leader, leader.Role);
        var next = net.WaitLeader();
        Assert.NotEqual(leader.Id, next.Id);
        Assert.False(next.Configuration.Contains(leader.Id));
        Assert.Equal(2, next.Configuration.VoterCount);
    }

    [Fact]
    public void New_server_joins_as_non_voter_and_is_promoted_when_caught_up()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        for (var i = 0; i < 40; i++) leader.Propose([1]);
        net.DeliverAll();
        net.Add("d", default, []);
        Assert.True(leader.ProposeConfChange(ConfChangeKind.AddVoter, "d", "d").Ok);
        Assert.False(leader.Configuration.IsVoter("d"));
        Assert.True(leader.Configuration.Contains("d"));
        net.Tick(10);
        Assert.True(leader.Configuration.IsVoter("d"));
        Assert.Equal(leader.LastIndex, net.Cores["d"].LastIndex);
    }

    [Fact]
    public void Read_index_waits_for_a_quorum_heartbeat_round()
    {
        var net = CoreNet.Bootstrapped("a", "b", "c");
        var leader = net.WaitLeader();
        net.Tick(2);
        Assert.Equal(ProposeError.None, leader.RequestReadIndex(42));
        var rd = leader.GetReady();
        Assert.Empty(rd.ReadStates);
        foreach (var m in rd.Messages) net.Queue.Add(m);
        leader.Advance(rd);
        ReadState? got = null;
        while (net.Queue.Count > 0)
        {
            var m = net.Queue[0];
            net.Queue.RemoveAt(0);
            net.Cores[m.To].Step(m);
            foreach (var c in net.Cores.Values)
                while (c.HasReady)
                {
                    var r = c.GetReady();
                    net.Queue.AddRange(r.Messages);
                    if (c == leader && r.ReadStates.Count > 0) got = r.ReadStates[0];
                    c.Advance(r);
                }
        }
        Assert.Equal(42UL, got?.Context);
        Assert.Equal(leader.CommitIndex, got?.Index);
        Assert.Equal(ProposeError.NotLeader, net.Cores.Values.First(c => c != leader).RequestReadIndex(1));
    }
}
