using System.Text;
using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Serf;

// User events: Lamport-stamped, de-duplicated through a ring of recent times, optionally coalesced.
public sealed partial class SerfCore
{
    private readonly UserEventSlot?[] _eventBuffer;
    private ulong _eventMinTime;
    private readonly Dictionary<string, UserEvent> _coalesced = new();
    private TimerHandle? _coalesceFlush;

    /// <summary>Fires a user event to the whole pool (ourselves included).</summary>
    public void UserEvent(string name, byte[] payload, bool coalesce, TimeSpan now)
    {
        var size = Encoding.UTF8.GetByteCount(name) + payload.Length;
        if (size > _cfg.UserEventSizeLimit)
            throw new ArgumentException($"user event exceeds configured limit of {_cfg.UserEventSizeLimit} bytes before encoding");
        _now = now;
        var msg = new UserEventMessage(EventClock.Time, name, payload, coalesce);
        var encoded = SerfCodec.Encode(msg);
        if (encoded.Length > _cfg.Swim.UdpBufferSize - 64)
            throw new ArgumentException("user event exceeds sane limit after encoding");
        EventClock.Increment();
        HandleUserEvent(msg);
        _eventBroadcasts.Enqueue(null, encoded);
        AfterSwim();
    }

    private bool HandleUserEvent(UserEventMessage msg)
    {
        EventClock.Witness(msg.LTime);
        if (msg.LTime < _eventMinTime) return false;
        var cur = EventClock.Time;
        var bufferSize = (ulong)_eventBuffer.Length;
        if (cur > bufferSize && msg.LTime < cur - bufferSize)
        {
            _log.LogWarning("serf: received old event {Name} from time {LTime} (current: {Cur})", msg.Name, msg.LTime, cur);
            return false;
        }
        var idx = (int)(msg.LTime % bufferSize);
        var slot = _eventBuffer[idx];
        if (slot != null && slot.LTime == msg.LTime)
        {
            foreach (var (n, p) in slot.Events)
                if (n == msg.Name && p.AsSpan().SequenceEqual(msg.Payload)) return false;
        }
        else
        {
            slot = new UserEventSlot(msg.LTime, new List<(string, byte[])>());
            _eventBuffer[idx] = slot;
        }
        slot.Events.Add((msg.Name, msg.Payload));
        Deliver(new UserEvent(msg.LTime, msg.Name, msg.Payload, msg.Coalesce));
        return true;
    }

    private void Deliver(UserEvent e)
    {
        if (!e.Coalesce || _cfg.UserCoalescePeriod <= TimeSpan.Zero)
        {
            _events.Add(e);
            return;
        }
        // Keep only the newest event of each name within the coalescing window.
        if (!_coalesced.TryGetValue(e.Name, out var held) || held.LTime < e.LTime) _coalesced[e.Name] = e;
        _coalesceFlush ??= _timers.Schedule(_now + _cfg.UserCoalescePeriod, () =>
        {
            _coalesceFlush = null;
            foreach (var ev in _coalesced.Values.OrderBy(v => v.LTime)) _events.Add(ev);
            _coalesced.Clear();
        });
    }
}
