using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Serf;

// The hooks the SWIM core calls: meta, user messages, broadcasts, push-pull state, pings.
public sealed partial class SerfCore
{
    private sealed class Delegate(SerfCore serf) : ISwimDelegate
    {
        public byte[] NodeMeta(int limit) => SerfCodec.EncodeTags(serf._tags);
        public void NotifyMsg(byte[] message) => serf.HandleUserMessage(message);
        public List<byte[]> GetBroadcasts(int overhead, int limit) => serf.TakeBroadcasts(overhead, limit);
        public byte[] LocalState(bool join) => serf.LocalState();
        public void MergeRemoteState(byte[] state, bool join) => serf.MergeRemoteState(state, join);
        public void NotifyJoin(SwimNode node) => serf.HandleNodeJoin(node);
        public void NotifyLeave(SwimNode node) => serf.HandleNodeLeave(node);
        public void NotifyUpdate(SwimNode node) => serf.HandleNodeUpdate(node);
        public byte[] AckPayload() => serf._cfg.DisableCoordinates ? [] : serf.Vivaldi.Coordinate.Encode();
        public void NotifyPingComplete(SwimNode node, TimeSpan rtt, byte[] payload) => serf.PingComplete(node, rtt, payload);
    }

    private List<byte[]> TakeBroadcasts(int overhead, int limit)
    {
        var n = Swim.NumNodes;
        var msgs = _intentBroadcasts.Take(overhead, limit, n);
        var used = msgs.Sum(m => m.Length + overhead);
        msgs.AddRange(_eventBroadcasts.Take(overhead, limit - used, n));
        return msgs;
    }

    private void HandleUserMessage(byte[] message)
    {
        try
        {
            switch (SerfCodec.PeekType(message))
            {
                case SerfMessageType.Join:
                {
                    var m = SerfCodec.Decode(message, SerfCodec.ReadJoin);
                    if (HandleJoinIntent(m)) _intentBroadcasts.Enqueue("join:" + m.Node, message);
                    break;
                }
                case SerfMessageType.Leave:
                {
                    var m = SerfCodec.Decode(message, SerfCodec.ReadLeave);
                    if (HandleLeaveIntent(m)) _intentBroadcasts.Enqueue("leave:" + m.Node, message);
                    break;
                }
                case SerfMessageType.UserEvent:
                {
                    var m = SerfCodec.Decode(message, SerfCodec.ReadUserEvent);
                    if (HandleUserEvent(m)) _eventBroadcasts.Enqueue(null, message);
                    break;
                }
                case SerfMessageType.KeyringOp:
                    HandleKeyringMessage(message);
                    break;
                default:
                    throw new GossipFormatException($"unknown serf message type {message[0]}");
            }
        }
        catch (GossipFormatException e)
        {
            BadMessages++;
            _log.LogDebug("serf: dropping bad message: {Reason}", e.Message);
        }
    }

    private byte[] LocalState()
    {
        var status = new Dictionary<string, ulong>(_members.Count);
        foreach (var (name, ms) in _members) status[name] = ms.StatusLTime;
        var events = new List<UserEventSlot>();
        foreach (var slot in _eventBuffer) if (slot != null) events.Add(slot);
        return SerfCodec.Encode(new SerfPushPull(Clock.Time, status, _left.Select(m => m.Member.Name).ToList(), EventClock.Time, events));
    }

    private void MergeRemoteState(byte[] state, bool join)
    {
        SerfPushPull pp;
        try
        {
            if (SerfCodec.PeekType(state) != SerfMessageType.PushPull) throw new GossipFormatException("not a push-pull state");
            pp = SerfCodec.Decode(state, SerfCodec.ReadPushPull);
        }
        catch (GossipFormatException e)
        {
            BadMessages++;
            _log.LogDebug("serf: dropping bad remote state: {Reason}", e.Message);
            return;
        }
        // No message carries the sender's current time yet, hence the -1.
        if (pp.LTime > 0) Clock.Witness(pp.LTime - 1);
        if (pp.EventLTime > 0) EventClock.Witness(pp.EventLTime - 1);
        // Left members first; a leave must have come after the status time we know.
        var leftSet = new HashSet<string>(pp.LeftMembers);
        foreach (var name in pp.LeftMembers)
            HandleLeaveIntent(new LeaveIntent(pp.StatusLTimes.GetValueOrDefault(name) + 1, name, false));
        foreach (var (name, ltime) in pp.StatusLTimes)
            if (!leftSet.Contains(name)) HandleJoinIntent(new JoinIntent(ltime, name));
        if (join && _ignoreOldJoinsPending > 0 && pp.EventLTime > _eventMinTime) _eventMinTime = pp.EventLTime;
        foreach (var slot in pp.Events)
            foreach (var (name, payload) in slot.Events)
                HandleUserEvent(new UserEventMessage(slot.LTime, name, payload, false));
    }

    private void PingComplete(SwimNode node, TimeSpan rtt, byte[] payload)
    {
        if (_cfg.DisableCoordinates || payload.Length == 0) return;
        var other = Coordinate.TryDecode(payload);
        if (other == null)
        {
            _log.LogDebug("serf: rejected coordinate from {Node}", node.Name);
            return;
        }
        Vivaldi.Update(node.Name, other, rtt);
        _coordinateCache[node.Name] = other;
    }
}
