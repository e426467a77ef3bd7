using Consul.Core.Raft;

namespace Consul.Tests.Raft.Sim;

/// <summary>
/// A lossy, reordering, duplicating network with (possibly one-way) partitions. Time is in
/// sub-tick steps; every message gets its own random delay, which is what reorders them.
/// </summary>
public sealed class SimNetwork
{
    private readonly Random _rng;
    private readonly PriorityQueue<RaftMessage, (long At, long Seq)> _queue = new();
    private readonly HashSet<(string From, string To)> _blocked = new();
    private long _seq;

    public double LossRate { get; set; }
    public double DuplicateRate { get; set; }
    public int MinDelay { get; set; } = 1;
    public int MaxDelay { get; set; } = 8;
    public long Delivered { get; private set; }

    public SimNetwork(Random rng) { _rng = rng; }

    public void Send(RaftMessage m, long now)
    {
        if (_blocked.Contains((m.From, m.To))) return;
        if (_rng.NextDouble() < LossRate) return;
        Enqueue(m, now);
        if (_rng.NextDouble() < DuplicateRate) Enqueue(m, now);
    }

    private void Enqueue(RaftMessage m, long now) =>
        _queue.Enqueue(m, (now + _rng.Next(MinDelay, MaxDelay + 1), _seq++));

    /// <summary>Messages due at or before <paramref name="now"/>; partitions also cut messages already in flight.</summary>
    public List<RaftMessage> Due(long now)
    {
        var due = new List<RaftMessage>();
        while (_queue.TryPeek(out var m, out var key) && key.At <= now)
        {
            _queue.Dequeue();
            if (_blocked.Contains((m.From, m.To))) continue;
            due.Add(m);
            Delivered++;
        }
        return due;
    }

    public void Block(string from, string to) => _blocked.Add((from, to));
    public void Heal() => _blocked.Clear();
    public bool HasPartitions => _blocked.Count > 0;

    /// <summary>Cuts all traffic between the two groups; when <paramref name="oneWay"/> only from a to b.</summary>
    public void Partition(IEnumerable<string> a, IEnumerable<string> b, bool oneWay)
    {
        var bs = b.ToArray();
        foreach (var x in a)
            foreach (var y in bs)
            {
                Block(x, y);
                if (!oneWay) Block(y, x);
            }
    }
}
