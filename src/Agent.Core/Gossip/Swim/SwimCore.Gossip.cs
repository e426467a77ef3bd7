using System.Net;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Swim;

// Dissemination: piggy-backed broadcasts, periodic gossip, push-pull anti-entropy.
public sealed partial class SwimCore
{
    private void Broadcast(string key, SwimMessage m) => _broadcasts.Enqueue(key, MessageCodec.EncodeMessage(m));

    /// <summary>Broadcasts that fit in <paramref name="limit"/> bytes: ours first, then the delegate's.</summary>
    private List<byte[]> TakeBroadcasts(int limit)
    {
        var taken = _broadcasts.Take(MessageCodec.PerMessageOverhead, limit, _nodes.Count, MessageCodec.MaxMessagesPerPacket - 1);
        if (_del == null) return taken;
        var used = 0;
        foreach (var t in taken) used += MessageCodec.FramedSize(t.Length);
        // User messages get one extra byte for their SWIM type.
        var user = _del.GetBroadcasts(MessageCodec.PerMessageOverhead + 1, limit - used);
        foreach (var u in user)
        {
            if (taken.Count >= MessageCodec.MaxMessagesPerPacket - 1) break;
            taken.Add(WrapUser(u));
        }
        return taken;
    }

    private static byte[] WrapUser(byte[] payload)
    {
        var b = new byte[payload.Length + 1];
        b[0] = (byte)SwimMessageType.User;
        payload.CopyTo(b, 1);
        return b;
    }

    /// <summary>Sends messages in one UDP packet, filling spare room with broadcasts.</summary>
    private void SendUdp(IPEndPoint to, params SwimMessage[] messages)
    {
        var encoded = new List<byte[]>(messages.Length + 4);
        var size = MessageCodec.PacketHeader;
        foreach (var m in messages)
        {
            var e = MessageCodec.EncodeMessage(m);
            encoded.Add(e);
            size += MessageCodec.FramedSize(e.Length);
        }
        encoded.AddRange(TakeBroadcasts(_cfg.UdpBufferSize - size));
        Emit(new OutgoingPacket(to, MessageCodec.Pack(encoded), Reliable: false));
    }

    private void SendReliable(IPEndPoint to, byte[] packet, uint joinSeq = 0)
        => Emit(new OutgoingPacket(to, packet, Reliable: true, joinSeq));

    private void Emit(OutgoingPacket p)
    {
        if (_shutdown) return;
        PacketsSent++;
        BytesSent += p.Payload.Length;
        _outbox.Add(p);
    }

    /// <summary>Sends a message of the layer above straight to one address (e.g. a query response).</summary>
    public void SendUserMessage(IPEndPoint to, byte[] payload) => SendUdp(to, new UserMessage(payload));

    private void GossipTick()
    {
        _timers.Schedule(_now + _cfg.GossipInterval, GossipTick);
        var targets = RandomNodes(_cfg.GossipNodes, n => n.State switch
        {
            NodeStateKind.Alive or NodeStateKind.Suspect => true,
            // Keep telling the recently dead, so a node that was only partitioned hears it and refutes.
            _ => _now - n.StateChange <= _cfg.GossipToTheDeadTime,
        });
        foreach (var t in targets)
        {
            var msgs = TakeBroadcasts(_cfg.UdpBufferSize - MessageCodec.PacketHeader);
            if (msgs.Count == 0) return;
            Emit(new OutgoingPacket(t.Address, MessageCodec.Pack(msgs), Reliable: false));
        }
    }

    private void PushPullTick()
    {
        _timers.Schedule(_now + SwimMath.PushPullScale(_cfg.PushPullInterval, _nodes.Count), PushPullTick);
        var peer = RandomNodes(1, n => n.State == NodeStateKind.Alive);
        if (peer.Count == 0) return;
        SendReliable(peer[0].Address, BuildPushPull(NextSeq(), join: false, reply: false));
    }

    private byte[] BuildPushPull(uint seq, bool join, bool reply)
    {
        var states = new List<PushNodeState>(_nodes.Count);
        foreach (var n in _nodes)
            states.Add(new PushNodeState(n.Name, n.Address, n.Meta, n.Incarnation, n.State, n.Vsn));
        var user = _del?.LocalState(join) ?? [];
        return MessageCodec.Encode(new PushPullMessage(seq, join, reply, _cfg.Address, states, user));
    }

    private void HandlePushPull(PushPullMessage pp)
    {
        if (!pp.IsReply)
        {
            // Answer with our state as it was before merging theirs, as memberlist does.
            SendReliable(pp.Source, BuildPushPull(pp.SeqNo, pp.Join, reply: true));
        }
        else if (_pendingJoins.ContainsKey(pp.SeqNo))
        {
            CompleteJoin(pp.SeqNo, true, null);
        }
        MergeState(pp.Nodes);
        if (pp.UserState.Length > 0) _del?.MergeRemoteState(pp.UserState, pp.Join);
        _log.LogDebug("memberlist: merged push-pull from {Source} ({Count} nodes)", pp.Source, pp.Nodes.Count);
    }
}
