using System.Net;
using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;

namespace Consul.Tests.Gossip.Sim;

/// <summary>One simulated gossip node: a pure SerfCore plus what the network does to it.</summary>
internal sealed class SimNode
{
    public required int Index { get; init; }
    public required SerfCore Core { get; set; }
    public required IPEndPoint Address { get; init; }
    public string Name => Core.Name;
    public bool Down { get; set; }
    /// <summary>Extra delay on every packet to and from this node (a CPU-starved or overloaded node).</summary>
    public TimeSpan SlowDelay { get; set; }
    public int Group { get; set; }
    public TimeSpan ScheduledDue { get; set; } = TimeSpan.MaxValue;
    public List<(TimeSpan At, SerfEvent Event)> Events { get; } = new();
    public List<JoinResult> JoinResults { get; } = new();
    public long BytesSent { get; set; }
}

/// <summary>
/// Discrete-event simulation of many gossip nodes in one process: a fake clock, one seed,
/// latency, loss, partitions and slow nodes. The same seed replays the same run.
/// </summary>
internal sealed class SimNetwork
{
    private abstract record SimItem;
    private sealed record TimerItem(SimNode Node, TimeSpan Due) : SimItem;
    private sealed record PacketItem(SimNode From, SimNode To, OutgoingPacket Packet) : SimItem;
    private sealed record SendFailedItem(SimNode From, OutgoingPacket Packet) : SimItem;

    private readonly PriorityQueue<SimItem, (TimeSpan, long)> _queue = new();
    private readonly Dictionary<IPEndPoint, SimNode> _byAddress = new();
    private readonly List<OutgoingPacket> _scratch = new();
    private readonly List<SerfEvent> _eventScratch = new();
    private long _order;
    private int _coresCreated;

    public SimNetwork(int seed, Func<SerfConfig, SerfConfig>? configure = null)
    {
        Seed = seed;
        Rng = new Random(seed);
        _configure = configure ?? (c => c);
    }

    private readonly Func<SerfConfig, SerfConfig> _configure;
    public int Seed { get; }
    public Random Rng { get; }
    public TimeSpan Now { get; private set; } = TimeSpan.FromSeconds(1);
    public List<SimNode> Nodes { get; } = new();
    public double LossRate { get; set; }
    public TimeSpan BaseLatency { get; set; } = TimeSpan.FromMilliseconds(1);
    public TimeSpan LatencyJitter { get; set; } = TimeSpan.FromMilliseconds(4);
    /// <summary>Optional per-pair latency (used by the Vivaldi test).</summary>
    public Func<SimNode, SimNode, TimeSpan>? PairLatency { get; set; }
    public bool Partitioned { get; private set; }
    public long UdpPackets { get; private set; }
    public long UdpBytes { get; private set; }
    public long StreamBytes { get; private set; }
    /// <summary>Checked after every step; throw to fail the run.</summary>
    public Action<SimNode>? Invariant { get; set; }

    public SimNode AddNode(string? name = null)
    {
        var i = Nodes.Count;
        var addr = new IPEndPoint(new IPAddress([10, (byte)(i / 65536), (byte)(i / 256 % 256), (byte)(i % 256)]), 8301);
        var node = new SimNode { Index = i, Core = NewCore(name ?? $"node-{i:D3}", addr), Address = addr };
        Nodes.Add(node);
        _byAddress[addr] = node;
        node.Core.Start(Now);
        AfterStep(node);
        return node;
    }

    private SerfCore NewCore(string name, IPEndPoint addr)
    {
        var tags = new Dictionary<string, string> { ["role"] = "node", ["dc"] = "dc1", ["id"] = name };
        var cfg = _configure(new SerfConfig { Swim = SwimConfig.DefaultLan(name, addr), Tags = tags });
        // Deterministic per-node streams: same seed, same run.
        return new SerfCore(cfg, new Random(unchecked(Seed * 7919 + _coresCreated++ * 104729)));
    }

    /// <summary>Replaces a node's process with a fresh one on the same address (a restart without state).</summary>
    public void Restart(SimNode node, Func<SerfCore, SerfCore>? replace = null)
    {
        node.Core.Shutdown();
        node.Down = false;
        node.Core = replace?.Invoke(node.Core) ?? NewCore(node.Name, node.Address);
        node.ScheduledDue = TimeSpan.MaxValue;
        node.Core.Start(Now);
        AfterStep(node);
    }

    public void Join(SimNode node, params SimNode[] seeds)
    {
        node.Core.Join(seeds.Select(s => s.Address), ignoreOld: true, Now);
        AfterStep(node);
    }

    public void Kill(SimNode node)
    {
        node.Down = true;
        node.Core.Shutdown();
    }

    public void Leave(SimNode node)
    {
        node.Core.Leave(Now);
        AfterStep(node);
    }

    public void UserEvent(SimNode node, string name, byte[] payload, bool coalesce = false)
    {
        node.Core.UserEvent(name, payload, coalesce, Now);
        AfterStep(node);
    }

    /// <summary>Splits nodes into groups that cannot talk to each other.</summary>
    public void Partition(Func<SimNode, int> group)
    {
        foreach (var n in Nodes) n.Group = group(n);
        Partitioned = true;
    }

    public void Heal() => Partitioned = false;

    /// <summary>Lets the node act on something done to it from outside the loop.</summary>
    public void Poke(SimNode node) => AfterStep(node);

    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    public void RunUntil(TimeSpan until)
    {
        while (_queue.TryPeek(out var item, out var prio) && prio.Item1 <= until)
        {
            _queue.Dequeue();
            Now = prio.Item1;
            Step(item);
        }
        Now = until;
    }

    /// <summary>Runs until <paramref name="condition"/> holds (checked every <paramref name="check"/>) or the time limit; returns the time it held.</summary>
    public TimeSpan? RunUntil(Func<bool> condition, TimeSpan limit, TimeSpan? check = null)
    {
        var step = check ?? TimeSpan.FromMilliseconds(250);
        var end = Now + limit;
        while (Now < end)
        {
            if (condition()) return Now;
            RunUntil(Now + step < end ? Now + step : end);
        }
        return condition() ? Now : null;
    }

    private void Step(SimItem item)
    {
        switch (item)
        {
            case TimerItem t:
                if (t.Node.Down || t.Node.ScheduledDue != t.Due) return;
                t.Node.ScheduledDue = TimeSpan.MaxValue;
                t.Node.Core.Tick(Now);
                AfterStep(t.Node);
                break;
            case PacketItem p:
                if (p.To.Down) return;
                if (Partitioned && p.From.Group != p.To.Group) return;
                p.To.Core.HandlePacket(p.From.Address, p.Packet.Payload, p.Packet.Reliable, Now);
                AfterStep(p.To);
                break;
            case SendFailedItem f:
                if (f.From.Down) return;
                f.From.Core.SendFailed(f.Packet, "connection refused", Now);
                AfterStep(f.From);
                break;
        }
    }

    private void AfterStep(SimNode node)
    {
        if (node.Down) return;
        node.Core.DrainOutbox(_scratch);
        foreach (var p in _scratch) Send(node, p);
        _scratch.Clear();
        node.Core.DrainEvents(_eventScratch);
        foreach (var e in _eventScratch) node.Events.Add((Now, e));
        _eventScratch.Clear();
        node.Core.DrainJoinResults(node.JoinResults);
        var due = node.Core.NextDue;
        if (due != node.ScheduledDue && due != TimeSpan.MaxValue)
        {
            node.ScheduledDue = due < Now ? Now : due;
            _queue.Enqueue(new TimerItem(node, node.ScheduledDue), (node.ScheduledDue, _order++));
        }
        Invariant?.Invoke(node);
    }

    private void Send(SimNode from, OutgoingPacket p)
    {
        from.BytesSent += p.Payload.Length;
        if (p.Reliable) StreamBytes += p.Payload.Length;
        else { UdpPackets++; UdpBytes += p.Payload.Length; }
        if (!_byAddress.TryGetValue(p.To, out var to))
        {
            if (p.Reliable) _queue.Enqueue(new SendFailedItem(from, p), (Now + BaseLatency, _order++));
            return;
        }
        if (to.Down && p.Reliable)
        {
            // A stopped process refuses connections.
            _queue.Enqueue(new SendFailedItem(from, p), (Now + BaseLatency * 2, _order++));
            return;
        }
        if (!p.Reliable && LossRate > 0 && Rng.NextDouble() < LossRate) return;
        var latency = PairLatency?.Invoke(from, to) ?? BaseLatency + TimeSpan.FromTicks((long)(LatencyJitter.Ticks * Rng.NextDouble()));
        var at = Now + latency + from.SlowDelay + to.SlowDelay;
        _queue.Enqueue(new PacketItem(from, to, p), (at, _order++));
    }

    // ---- observations ----

    public IEnumerable<SimNode> Live => Nodes.Where(n => !n.Down && n.Core.State == SerfState.Alive);

    public MemberStatus StatusSeenBy(SimNode observer, SimNode subject)
        => observer.Core.GetMember(subject.Name)?.Status ?? MemberStatus.None;

    /// <summary>Every live node sees exactly the live nodes as alive and every other known node as not alive.</summary>
    public bool Converged()
    {
        var live = Live.ToList();
        var liveNames = live.Select(n => n.Name).ToHashSet();
        foreach (var o in live)
        {
            var alive = 0;
            foreach (var m in o.Core.UnorderedMembers)
            {
                if (m.Status == MemberStatus.Alive)
                {
                    if (!liveNames.Contains(m.Name)) return false;
                    alive++;
                }
            }
            if (alive != live.Count) return false;
        }
        return true;
    }

    public string Describe()
    {
        var live = Live.ToList();
        var lines = live.Take(5).Select(o =>
            $"{o.Name} sees " + string.Join(",", o.Core.Members().GroupBy(m => m.Status).Select(g => $"{g.Key}={g.Count()}")));
        return $"t={Now.TotalSeconds:F1}s live={live.Count}: " + string.Join("; ", lines);
    }
}
