using System.Net;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Swim;

// Failure detection: randomized round-robin probes, indirect probes, TCP fallback, Lifeguard nacks.
public sealed partial class SwimCore
{
    private sealed class Probe
    {
        public required SwimNode Target;
        public required uint Seq;
        public required TimeSpan SentAt;
        public bool Done;
        public int Nacks, ExpectedNacks;
        public TimerHandle? Timeout, Deadline;
    }

    private void ProbeTick()
    {
        var target = NextProbeTarget();
        if (target == null)
        {
            _timers.Schedule(_now + _cfg.ProbeInterval, ProbeTick);
            return;
        }
        StartProbe(target);
    }

    /// <summary>Round-robin over a shuffled list; at wrap-around drop long-dead nodes and reshuffle.</summary>
    private SwimNode? NextProbeTarget()
    {
        for (var checkedCount = 0; checkedCount < _nodes.Count; checkedCount++)
        {
            if (_probeIndex >= _nodes.Count)
            {
                ResetNodes();
                _probeIndex = 0;
                if (_nodes.Count == 0) return null;
            }
            var node = _nodes[_probeIndex++];
            if (node == _self || node.IsDeadOrLeft) continue;
            return node;
        }
        return null;
    }

    private void ResetNodes()
    {
        _nodes.RemoveAll(n =>
        {
            if (n == _self || !n.IsDeadOrLeft || _now - n.StateChange <= _cfg.GossipToTheDeadTime) return false;
            _nodeMap.Remove(n.Name);
            return true;
        });
        // Fisher-Yates with our seeded random keeps runs reproducible.
        for (var i = _nodes.Count - 1; i > 0; i--)
        {
            var j = _rng.Next(i + 1);
            (_nodes[i], _nodes[j]) = (_nodes[j], _nodes[i]);
        }
    }

    private void StartProbe(SwimNode target)
    {
        var probe = new Probe { Target = target, Seq = NextSeq(), SentAt = _now };
        _acks[probe.Seq] = new AckWait
        {
            OnAck = payload => ProbeAcked(probe, payload),
            OnNack = () => probe.Nacks++,
        };
        var ping = new PingMessage(probe.Seq, target.Name, _cfg.Address, _cfg.Name);
        if (target.State == NodeStateKind.Alive)
            SendUdp(target.Address, ping);
        else
            // Tell a suspect it is suspected so it can refute right away.
            SendUdp(target.Address, ping, new SuspectMessage(target.Incarnation, target.Name, _cfg.Name));
        probe.Timeout = _timers.Schedule(_now + Awareness.Scale(_cfg.ProbeTimeout), () => ProbeTimedOut(probe));
        probe.Deadline = _timers.Schedule(_now + Awareness.Scale(_cfg.ProbeInterval), () => ProbeFailed(probe));
    }

    private void ProbeAcked(Probe probe, byte[] payload)
    {
        if (probe.Done) return;
        probe.Done = true;
        _acks.Remove(probe.Seq);
        var inTime = probe.Timeout is { Cancelled: false };
        probe.Timeout?.Cancel();
        probe.Deadline?.Cancel();
        if (inTime)
        {
            Awareness.ApplyDelta(-1);
            _del?.NotifyPingComplete(probe.Target, _now - probe.SentAt, payload);
        }
        var next = probe.SentAt + _cfg.ProbeInterval;
        _timers.Schedule(next > _now ? next : _now, ProbeTick);
    }

    private void ProbeTimedOut(Probe probe)
    {
        if (probe.Done) return;
        var target = probe.Target;
        var helpers = RandomNodes(_cfg.IndirectChecks, n => n != target && n.State == NodeStateKind.Alive);
        foreach (var helper in helpers)
            SendUdp(helper.Address, new IndirectPingMessage(probe.Seq, target.Name, target.Address, true, _cfg.Address, _cfg.Name));
        probe.ExpectedNacks = helpers.Count;
        // TCP fallback: gets through where UDP is filtered or lossy.
        if (!_cfg.DisableTcpPings)
            SendReliable(target.Address, MessageCodec.Encode(new PingMessage(probe.Seq, target.Name, _cfg.Address, _cfg.Name)));
    }

    private void ProbeFailed(Probe probe)
    {
        if (probe.Done) return;
        probe.Done = true;
        _acks.Remove(probe.Seq);
        probe.Timeout?.Cancel();
        // Lifeguard: missing nacks mean *we* may be the slow one, so count them against our health.
        var delta = probe.ExpectedNacks > 0 ? Math.Max(0, probe.ExpectedNacks - probe.Nacks) : 1;
        Awareness.ApplyDelta(delta);
        var target = probe.Target;
        _log.LogDebug("memberlist: suspect {Node} has failed, no acks received", target.Name);
        SuspectNode(new SuspectMessage(target.Incarnation, target.Name, _cfg.Name));
        _timers.Schedule(_now, ProbeTick);
    }

    private void HandlePing(IPEndPoint from, PingMessage p, bool reliable)
    {
        if (p.Target.Length > 0 && p.Target != _cfg.Name)
        {
            _log.LogWarning("memberlist: got ping for unexpected node '{Target}' from {From}", p.Target, from);
            return;
        }
        var ack = new AckMessage(p.SeqNo, _del?.AckPayload() ?? []);
        if (reliable) SendReliable(p.Source, MessageCodec.Encode(ack));
        else SendUdp(p.Source, ack);
    }

    private void HandleIndirectPing(IndirectPingMessage ip)
    {
        var seq = NextSeq();
        var wait = new AckWait();
        wait.OnAck = _ =>
        {
            _acks.Remove(seq);
            wait.Timeout?.Cancel();
            SendUdp(ip.Source, new AckMessage(ip.SeqNo, []));
        };
        wait.Timeout = _timers.Schedule(_now + _cfg.ProbeTimeout, () =>
        {
            _acks.Remove(seq);
            if (ip.WantNack) SendUdp(ip.Source, new NackMessage(ip.SeqNo));
        });
        _acks[seq] = wait;
        SendUdp(ip.TargetAddress, new PingMessage(seq, ip.Target, _cfg.Address, _cfg.Name));
    }

    /// <summary>Up to k distinct random nodes (never ourselves) passing <paramref name="filter"/>.</summary>
    private List<SwimNode> RandomNodes(int k, Func<SwimNode, bool> filter)
    {
        var picked = new List<SwimNode>(k);
        var n = _nodes.Count;
        // Bounded random tries, then a linear sweep from a random start, like memberlist's kRandomNodes.
        for (var i = 0; i < 3 * n && picked.Count < k; i++)
        {
            var node = _nodes[_rng.Next(n)];
            if (node == _self || picked.Contains(node) || !filter(node)) continue;
            picked.Add(node);
        }
        return picked;
    }
}
