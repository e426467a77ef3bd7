using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Serf;

// Member statuses: SWIM notifications, join/leave intents, reaping and reconnects.
public sealed partial class SerfCore
{
    private void HandleNodeJoin(SwimNode n)
    {
        MemberStatus oldStatus;
        if (!_members.TryGetValue(n.Name, out var ms))
        {
            oldStatus = MemberStatus.None;
            ms = new MemberState { Member = ToMember(n, MemberStatus.Alive) };
            // An intent may have arrived before the node itself; the newest one wins.
            if (_recentIntents.TryGetValue(n.Name, out var intent))
            {
                ms.StatusLTime = intent.LTime;
                if (intent.Type == SerfMessageType.Leave) ms.Member = ms.Member with { Status = MemberStatus.Leaving };
            }
            _members[n.Name] = ms;
        }
        else
        {
            oldStatus = ms.Member.Status;
            ms.Member = ToMember(n, MemberStatus.Alive);
            ms.LeaveTime = TimeSpan.Zero;
        }
        if (oldStatus is MemberStatus.Failed or MemberStatus.Left)
        {
            _failed.Remove(ms);
            _left.Remove(ms);
        }
        _log.LogInformation("serf: EventMemberJoin: {Node} {Addr}", n.Name, n.Address.Address);
        _events.Add(new MemberEvent(MemberEventType.Join, ms.Member));
    }

    private void HandleNodeLeave(SwimNode n)
    {
        if (!_members.TryGetValue(n.Name, out var ms)) return;
        MemberEventType type;
        switch (ms.Member.Status)
        {
            case MemberStatus.Leaving:
                ms.Member = ms.Member with { Status = MemberStatus.Left };
                _left.Add(ms);
                type = MemberEventType.Leave;
                break;
            case MemberStatus.Alive when n.State == NodeStateKind.Left:
                // The SWIM layer saw a graceful leave even if the intent never reached us.
                ms.Member = ms.Member with { Status = MemberStatus.Left };
                _left.Add(ms);
                type = MemberEventType.Leave;
                break;
            case MemberStatus.Alive:
                ms.Member = ms.Member with { Status = MemberStatus.Failed };
                _failed.Add(ms);
                type = MemberEventType.Failed;
                break;
            default:
                return;
        }
        ms.LeaveTime = _now;
        if (type == MemberEventType.Leave)
            _log.LogInformation("serf: EventMemberLeave: {Node} {Addr}", n.Name, n.Address.Address);
        else
            _log.LogInformation("serf: EventMemberFailed: {Node} {Addr}", n.Name, n.Address.Address);
        _events.Add(new MemberEvent(type, ms.Member));
    }

    private void HandleNodeUpdate(SwimNode n)
    {
        if (!_members.TryGetValue(n.Name, out var ms)) return;
        ms.Member = ToMember(n, ms.Member.Status);
        _log.LogInformation("serf: EventMemberUpdate: {Node}", n.Name);
        _events.Add(new MemberEvent(MemberEventType.Update, ms.Member));
    }

    /// <summary>Returns true if the intent was news worth re-broadcasting.</summary>
    private bool HandleJoinIntent(JoinIntent msg)
    {
        Clock.Witness(msg.LTime);
        if (!_members.TryGetValue(msg.Node, out var ms)) return UpsertIntent(msg.Node, SerfMessageType.Join, msg.LTime);
        if (msg.LTime <= ms.StatusLTime) return false;
        ms.StatusLTime = msg.LTime;
        // A newer join overrides an earlier leave that has not completed.
        if (ms.Member.Status == MemberStatus.Leaving) ms.Member = ms.Member with { Status = MemberStatus.Alive };
        return true;
    }

    private bool HandleLeaveIntent(LeaveIntent msg)
    {
        Clock.Witness(msg.LTime);
        if (!_members.TryGetValue(msg.Node, out var ms)) return UpsertIntent(msg.Node, SerfMessageType.Leave, msg.LTime);
        if (msg.LTime <= ms.StatusLTime) return false;
        if (msg.Node == Name && State == SerfState.Alive)
        {
            // A stale leave intent about us (e.g. from before a restart): refute with a fresh join.
            _log.LogDebug("serf: refuting an older leave intent");
            BroadcastJoin(Clock.Time);
            return false;
        }
        ms.StatusLTime = msg.LTime;
        switch (ms.Member.Status)
        {
            case MemberStatus.Alive:
                ms.Member = ms.Member with { Status = MemberStatus.Leaving };
                break;
            case MemberStatus.Failed:
                ms.Member = ms.Member with { Status = MemberStatus.Left };
                _failed.Remove(ms);
                _left.Add(ms);
                _log.LogInformation("serf: EventMemberLeave (forced): {Node} {Addr}", ms.Member.Name, ms.Member.Addr);
                _events.Add(new MemberEvent(MemberEventType.Leave, ms.Member));
                break;
            case MemberStatus.Leaving or MemberStatus.Left:
                break;
            default:
                return false;
        }
        if (msg.Prune) Prune(ms);
        return true;
    }

    private void Prune(MemberState ms)
    {
        if (ms.Member.Status == MemberStatus.Leaving)
        {
            // Let the member's own leave finish spreading before forgetting it.
            _timers.Schedule(_now + _cfg.BroadcastTimeout + _cfg.LeavePropagateDelay, () => Erase(ms));
            return;
        }
        Erase(ms);
    }

    private void Erase(MemberState ms)
    {
        if (!_members.TryGetValue(ms.Member.Name, out var current) || current != ms) return;
        _members.Remove(ms.Member.Name);
        _failed.Remove(ms);
        _left.Remove(ms);
        _coordinateCache.Remove(ms.Member.Name);
        Vivaldi.ForgetNode(ms.Member.Name);
        _log.LogInformation("serf: EventMemberReap: {Node}", ms.Member.Name);
        _events.Add(new MemberEvent(MemberEventType.Reap, ms.Member));
    }

    private bool UpsertIntent(string node, SerfMessageType type, ulong ltime)
    {
        if (_recentIntents.TryGetValue(node, out var existing) && ltime <= existing.LTime) return false;
        _recentIntents[node] = new Intent(type, ltime, _now);
        return true;
    }

    private void ReapTick()
    {
        _timers.Schedule(_now + _cfg.ReapInterval, ReapTick);
        Reap(_failed, _cfg.ReconnectTimeout);
        Reap(_left, _cfg.TombstoneTimeout);
        foreach (var (node, intent) in _recentIntents.ToList())
            if (_now - intent.WallTime > _cfg.RecentIntentTimeout) _recentIntents.Remove(node);
    }

    private void Reap(List<MemberState> list, TimeSpan timeout)
    {
        foreach (var ms in list.ToList())
            if (_now - ms.LeaveTime > timeout) Erase(ms);
    }

    /// <summary>Now and then try to rejoin a failed member, so healed partitions merge back.</summary>
    private void ReconnectTick()
    {
        _timers.Schedule(_now + _cfg.ReconnectInterval, ReconnectTick);
        if (_failed.Count == 0 || State != SerfState.Alive) return;
        var numAlive = Math.Max(1, _members.Count - _failed.Count - _left.Count);
        var prob = (double)_failed.Count / numAlive;
        if (_rng.NextDouble() > prob) return;
        var target = _failed[_rng.Next(_failed.Count)].Member;
        _log.LogInformation("serf: attempting reconnect to {Node} {Addr}", target.Name, target.AddressText);
        Swim.Join(new System.Net.IPEndPoint(target.Addr, target.Port), _now);
    }
}
