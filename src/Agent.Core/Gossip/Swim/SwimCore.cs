using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Gossip.Swim;

/// <summary>
/// SWIM membership with Lifeguard, as a pure single-threaded state machine (memberlist's
/// state.go in spirit). The owner feeds it packets and the current time, runs
/// <see cref="Tick"/> when <see cref="NextDue"/> arrives and sends what lands in the outbox.
/// No sockets, clocks or threads inside.
/// </summary>
public sealed partial class SwimCore
{
    private readonly SwimConfig _cfg;
    private readonly Random _rng;
    private readonly ISwimDelegate? _del;
    private readonly ILogger _log;
    private readonly TimerQueue _timers = new();
    private readonly List<SwimNode> _nodes = new();
    private readonly Dictionary<string, SwimNode> _nodeMap = new();
    private readonly Dictionary<string, Suspicion> _suspicions = new();
    private readonly Dictionary<uint, AckWait> _acks = new();
    private readonly Dictionary<uint, (IPEndPoint Address, TimerHandle Timeout)> _pendingJoins = new();
    private readonly List<JoinResult> _joinResults = new();
    private readonly List<OutgoingPacket> _outbox = new();
    private readonly BroadcastQueue _broadcasts;
    private readonly SwimNode _self;
    private int _probeIndex;
    private uint _seq;
    private bool _started, _shutdown;
    private TimeSpan _now;

    private sealed class AckWait
    {
        public Action<byte[]>? OnAck;
        public Action? OnNack;
        public TimerHandle? Timeout;
    }

    public SwimCore(SwimConfig config, Random random, ISwimDelegate? del = null, ILogger? logger = null)
    {
        if (string.IsNullOrEmpty(config.Name)) throw new ArgumentException("node name required", nameof(config));
        _cfg = config;
        _rng = random;
        _del = del;
        _log = logger ?? NullLogger.Instance;
        _broadcasts = new BroadcastQueue(config.RetransmitMult);
        Awareness = new Awareness(config.AwarenessMaxMultiplier);
        _self = new SwimNode { Name = config.Name, Address = config.Address, Vsn = config.VersionVector() };
    }

    public SwimConfig Config => _cfg;
    public string Name => _cfg.Name;
    public Awareness Awareness { get; }
    public bool Leaving { get; private set; }
    /// <summary>True once our leave announcement has been gossiped enough (or nobody is left to tell).</summary>
    public bool LeaveBroadcastDone { get; private set; }
    public uint Incarnation => _self.Incarnation;
    public SwimNode LocalNode => _self;
    public IReadOnlyList<SwimNode> Nodes => _nodes;
    public SwimNode? GetNode(string name) => _nodeMap.GetValueOrDefault(name);
    public int NumNodes => _nodes.Count;

    /// <summary>Counters for metrics and tests.</summary>
    public long BadPackets { get; private set; }
    public long PacketsSent { get; private set; }
    public long BytesSent { get; private set; }
    public long PacketsReceived { get; private set; }
    public long BytesReceived { get; private set; }

    public TimeSpan NextDue => _shutdown ? TimeSpan.MaxValue : _timers.NextDue;

    /// <summary>Members that are not dead or left, ourselves included.</summary>
    public int EstimatedLiveNodes()
    {
        var n = 0;
        foreach (var node in _nodes) if (!node.IsDeadOrLeft) n++;
        return n;
    }

    public void Start(TimeSpan now)
    {
        if (_started) return;
        _started = true;
        _now = now;
        // Enter ourselves through the normal alive path so meta and versions are set consistently.
        AliveNode(new AliveMessage(1, _cfg.Name, _cfg.Address, _del?.NodeMeta(512) ?? [], _cfg.VersionVector()), bootstrap: true);
        // Stagger the first rounds so simulated nodes do not move in lockstep.
        _timers.Schedule(now + Jitter(_cfg.ProbeInterval), ProbeTick);
        if (_cfg.GossipInterval > TimeSpan.Zero) _timers.Schedule(now + Jitter(_cfg.GossipInterval), GossipTick);
        if (_cfg.PushPullInterval > TimeSpan.Zero) _timers.Schedule(now + Jitter(_cfg.PushPullInterval), PushPullTick);
    }

    /// <summary>Stops all timers; the core no longer sends anything.</summary>
    public void Shutdown()
    {
        _shutdown = true;
        _timers.Clear();
        _outbox.Clear();
    }

    public bool IsShutdown => _shutdown;

    public void Tick(TimeSpan now)
    {
        if (_shutdown) return;
        _now = now;
        _timers.RunDue(now);
    }

    /// <summary>Moves pending outgoing packets into <paramref name="into"/>.</summary>
    public void DrainOutbox(List<OutgoingPacket> into)
    {
        into.AddRange(_outbox);
        _outbox.Clear();
    }

    public void DrainJoinResults(List<JoinResult> into)
    {
        into.AddRange(_joinResults);
        _joinResults.Clear();
    }

    /// <summary>Starts a join through <paramref name="address"/>: a push-pull marked as join. Returns its sequence number.</summary>
    public uint Join(IPEndPoint address, TimeSpan now)
    {
        _now = now;
        var seq = NextSeq();
        var timeout = _timers.Schedule(now + _cfg.TcpTimeout, () => CompleteJoin(seq, false, "i/o timeout"));
        _pendingJoins[seq] = (address, timeout);
        SendReliable(address, BuildPushPull(seq, join: true, reply: false), seq);
        return seq;
    }

    /// <summary>The transport could not deliver a reliable packet (connection refused, timeout, ...).</summary>
    public void SendFailed(OutgoingPacket packet, string error, TimeSpan now)
    {
        _now = now;
        if (packet.JoinSeq != 0) CompleteJoin(packet.JoinSeq, false, error);
    }

    /// <summary>Re-advertises our metadata with a new incarnation (memberlist UpdateNode).</summary>
    public void UpdateMeta(TimeSpan now)
    {
        _now = now;
        var inc = NextIncarnation();
        var meta = _del?.NodeMeta(512) ?? [];
        AliveNode(new AliveMessage(inc, _cfg.Name, _cfg.Address, meta, _cfg.VersionVector()), bootstrap: true);
    }

    /// <summary>Announces a graceful leave: a dead message about ourselves from ourselves.</summary>
    public void Leave(TimeSpan now)
    {
        _now = now;
        if (Leaving) return;
        Leaving = true;
        var anyAlive = _nodes.Any(n => n != _self && !n.IsDeadOrLeft);
        DeadNode(new DeadMessage(_self.Incarnation, _cfg.Name, _cfg.Name));
        if (!anyAlive) LeaveBroadcastDone = true;
    }

    /// <summary>Feeds one received packet (UDP datagram or stream frame). Malformed input is counted and dropped.</summary>
    public void HandlePacket(IPEndPoint from, ReadOnlySpan<byte> data, bool reliable, TimeSpan now)
    {
        if (_shutdown) return;
        _now = now;
        PacketsReceived++;
        BytesReceived += data.Length;
        var limit = reliable ? _cfg.MaxStreamMessageSize : 65536;
        if (data.Length > limit)
        {
            BadPacket(from, $"oversized packet ({data.Length} bytes)");
            return;
        }
        List<SwimMessage> messages;
        try { messages = MessageCodec.Decode(data); }
        catch (GossipFormatException e)
        {
            BadPacket(from, e.Message);
            return;
        }
        foreach (var m in messages) HandleMessage(from, m, reliable);
    }

    private void BadPacket(IPEndPoint from, string why)
    {
        BadPackets++;
        _log.LogDebug("memberlist: dropping bad packet from {From}: {Reason}", from, why);
    }

    private void HandleMessage(IPEndPoint from, SwimMessage m, bool reliable)
    {
        switch (m)
        {
            case PingMessage p: HandlePing(from, p, reliable); break;
            case IndirectPingMessage ip: HandleIndirectPing(ip); break;
            case AckMessage a:
                if (_acks.TryGetValue(a.SeqNo, out var w)) w.OnAck?.Invoke(a.Payload);
                break;
            case NackMessage n:
                if (_acks.TryGetValue(n.SeqNo, out var nw)) nw.OnNack?.Invoke();
                break;
            case AliveMessage a: AliveNode(a, bootstrap: false); break;
            case SuspectMessage s: SuspectNode(s); break;
            case DeadMessage d: DeadNode(d); break;
            case PushPullMessage pp: HandlePushPull(pp); break;
            case UserMessage u: _del?.NotifyMsg(u.Payload); break;
        }
    }

    private uint NextSeq() => ++_seq == 0 ? ++_seq : _seq;

    private uint NextIncarnation() => ++_self.Incarnation;

    private TimeSpan Jitter(TimeSpan interval) => TimeSpan.FromTicks((long)(interval.Ticks * _rng.NextDouble()));

    private void CompleteJoin(uint seq, bool ok, string? error)
    {
        if (!_pendingJoins.Remove(seq, out var pending)) return;
        pending.Timeout.Cancel();
        _joinResults.Add(new JoinResult(seq, pending.Address, ok, error));
        if (!ok) _log.LogWarning("memberlist: failed to join {Address}: {Error}", pending.Address, error);
    }
}
