using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Swim;

// State transitions: alive / suspect / dead with incarnation numbers and refutation.
public sealed partial class SwimCore
{
    private void AliveNode(AliveMessage a, bool bootstrap)
    {
        var isLocal = a.Node == _cfg.Name;
        // A leaving node must not be resurrected by stale alive messages about itself.
        if (Leaving && isLocal && !bootstrap) return;
        if (!_nodeMap.TryGetValue(a.Node, out var state))
        {
            state = isLocal ? _self : new SwimNode { Name = a.Node, Address = a.Address, State = NodeStateKind.Dead, StateChange = _now };
            _nodeMap[a.Node] = state;
            // Insert at a random position so new nodes are probed at a fair point in the round.
            _nodes.Add(state);
            var j = _rng.Next(_nodes.Count);
            (_nodes[^1], _nodes[j]) = (_nodes[j], _nodes[^1]);
        }
        else if (!state.Address.Equals(a.Address) && !isLocal)
        {
            var canReclaim = _cfg.DeadNodeReclaimTime > TimeSpan.Zero && _now - state.StateChange > _cfg.DeadNodeReclaimTime;
            if (state.State == NodeStateKind.Left || (state.State == NodeStateKind.Dead && canReclaim))
                _log.LogInformation("memberlist: updating address for left or failed node {Node} from {Old} to {New}", a.Node, state.Address, a.Address);
            else
            {
                _log.LogWarning("memberlist: conflicting address for {Node}. Mine: {Mine} Theirs: {Theirs} Old state: {State}",
                    a.Node, state.Address, a.Address, state.State);
                return;
            }
        }

        var updatesNode = !isLocal && !state.Address.Equals(a.Address);
        if (a.Incarnation <= state.Incarnation && !isLocal && !updatesNode) return;
        if (a.Incarnation < state.Incarnation && isLocal && !bootstrap) return;

        if (_suspicions.Remove(a.Node, out var suspicion)) suspicion.Cancel();

        var oldState = state.State;
        var oldMeta = state.Meta;

        if (!bootstrap && isLocal)
        {
            // Same incarnation and same content: just our own news coming back.
            if (a.Incarnation == state.Incarnation && a.Meta.AsSpan().SequenceEqual(state.Meta) && a.Vsn.AsSpan().SequenceEqual(state.Vsn))
                return;
            Refute(a.Incarnation);
            _log.LogWarning("memberlist: refuting an alive message for '{Node}' (incarnation {Inc})", a.Node, a.Incarnation);
            return;
        }

        Broadcast(a.Node, a);
        state.Incarnation = a.Incarnation;
        state.Meta = a.Meta;
        state.Address = a.Address;
        if (a.Vsn.Length == 6) state.Vsn = a.Vsn;
        if (state.State != NodeStateKind.Alive)
        {
            state.State = NodeStateKind.Alive;
            state.StateChange = _now;
        }

        if (oldState is NodeStateKind.Dead or NodeStateKind.Left) _del?.NotifyJoin(state);
        else if (!oldMeta.AsSpan().SequenceEqual(state.Meta)) _del?.NotifyUpdate(state);
    }

    private void SuspectNode(SuspectMessage s)
    {
        if (!_nodeMap.TryGetValue(s.Node, out var state)) return;
        if (s.Incarnation < state.Incarnation) return;

        if (_suspicions.TryGetValue(s.Node, out var existing))
        {
            if (existing.Confirm(s.From, _now)) Broadcast(s.Node, s);
            return;
        }
        if (state.State != NodeStateKind.Alive) return;

        if (state == _self)
        {
            if (Leaving) return;
            Refute(s.Incarnation);
            _log.LogWarning("memberlist: refuting a suspect message (from: {From})", s.From);
            return;
        }
        Broadcast(s.Node, s);

        state.Incarnation = s.Incarnation;
        state.State = NodeStateKind.Suspect;
        var changeTime = _now;
        state.StateChange = changeTime;

        // Lifeguard: want SuspicionMult-2 independent confirmations to reach the minimum timeout.
        var wanted = _cfg.SuspicionMult - 2;
        var n = EstimatedLiveNodes();
        if (n - 2 < wanted) wanted = 0;
        var min = SwimMath.SuspicionTimeout(_cfg.SuspicionMult, n, _cfg.ProbeInterval);
        var max = min * _cfg.SuspicionMaxTimeoutMult;
        _suspicions[s.Node] = new Suspicion(s.From, wanted, min, max, _now, _timers, () =>
        {
            if (state.State != NodeStateKind.Suspect || state.StateChange != changeTime) return;
            _log.LogInformation("memberlist: marking {Node} as failed, suspect timeout reached", state.Name);
            DeadNode(new DeadMessage(state.Incarnation, state.Name, _cfg.Name));
        });
    }

    private void DeadNode(DeadMessage d)
    {
        if (!_nodeMap.TryGetValue(d.Node, out var state)) return;
        if (d.Incarnation < state.Incarnation) return;
        if (_suspicions.Remove(d.Node, out var suspicion)) suspicion.Cancel();
        if (state.IsDeadOrLeft) return;

        if (state == _self)
        {
            if (!Leaving)
            {
                Refute(d.Incarnation);
                _log.LogWarning("memberlist: refuting a dead message (from: {From})", d.From);
                return;
            }
            _broadcasts.Enqueue(d.Node, MessageCodec.EncodeMessage(d), () => LeaveBroadcastDone = true);
        }
        else Broadcast(d.Node, d);

        state.Incarnation = d.Incarnation;
        state.State = d.Node == d.From ? NodeStateKind.Left : NodeStateKind.Dead;
        state.StateChange = _now;
        _del?.NotifyLeave(state);
    }

    /// <summary>Someone thinks we are suspect or dead: outbid them with a higher incarnation.</summary>
    private void Refute(uint accusedIncarnation)
    {
        var inc = NextIncarnation();
        if (accusedIncarnation >= inc)
        {
            _self.Incarnation = accusedIncarnation + 1;
            inc = _self.Incarnation;
        }
        // Having to refute is a sign we may be slow or partitioned.
        Awareness.ApplyDelta(1);
        Broadcast(_cfg.Name, new AliveMessage(inc, _cfg.Name, _cfg.Address, _self.Meta, _self.Vsn));
    }

    private void MergeState(IReadOnlyList<PushNodeState> remote)
    {
        foreach (var r in remote)
        {
            switch (r.State)
            {
                case NodeStateKind.Alive:
                    AliveNode(new AliveMessage(r.Incarnation, r.Name, r.Address, r.Meta, r.Vsn), bootstrap: false);
                    break;
                case NodeStateKind.Left:
                    DeadNode(new DeadMessage(r.Incarnation, r.Name, r.Name));
                    break;
                default:
                    // Another node's "dead" is only a suspicion for us: the node gets its chance to refute.
                    SuspectNode(new SuspectMessage(r.Incarnation, r.Name, _cfg.Name));
                    break;
            }
        }
    }
}
