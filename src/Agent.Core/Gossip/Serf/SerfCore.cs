using System.Net;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Gossip.Serf;

public enum SerfState { Alive, Leaving, Left, Shutdown }

/// <summary>
/// Serf on top of the SWIM core, still pure: member tags and statuses, join/leave intents
/// ordered by a Lamport clock, user events, reaping and reconnects. The owner feeds packets
/// and time, drains the outbox, the events and the join results.
/// </summary>
public sealed partial class SerfCore
{
    private readonly SerfConfig _cfg;
    private readonly Random _rng;
    private readonly ILogger _log;
    private readonly TimerQueue _timers = new();
    private readonly Dictionary<string, MemberState> _members = new();
    private readonly List<MemberState> _failed = new();
    private readonly List<MemberState> _left = new();
    private readonly Dictionary<string, Intent> _recentIntents = new();
    private readonly BroadcastQueue _intentBroadcasts;
    private readonly BroadcastQueue _eventBroadcasts;
    private readonly List<SerfEvent> _events = new();
    private readonly List<JoinResult> _joinResults = new();
    private readonly Dictionary<uint, JoinBatch> _joinBatches = new();
    private readonly Dictionary<string, Coordinate> _coordinateCache = new();
    private IReadOnlyDictionary<string, string> _tags;
    private TimeSpan _now;
    private int _ignoreOldJoinsPending;

    internal sealed class MemberState
    {
        public required Member Member;
        public ulong StatusLTime;
        public TimeSpan LeaveTime;
    }

    private sealed record Intent(SerfMessageType Type, ulong LTime, TimeSpan WallTime);

    private sealed class JoinBatch
    {
        public bool Succeeded;
        public bool IgnoreOld;
    }

    public SerfCore(SerfConfig config, Random random, ILogger? logger = null)
    {
        _cfg = config;
        _rng = random;
        _log = logger ?? NullLogger.Instance;
        _tags = config.Tags;
        if (SerfCodec.EncodeTags(_tags).Length > SerfConfig.MetaMaxSize)
            throw new ArgumentException($"Encoded length of tags exceeds limit of {SerfConfig.MetaMaxSize} bytes");
        _intentBroadcasts = new BroadcastQueue(config.Swim.RetransmitMult, config.MaxQueueDepth);
        _eventBroadcasts = new BroadcastQueue(config.Swim.RetransmitMult, config.MaxQueueDepth);
        _eventBuffer = new UserEventSlot?[config.EventBuffer];
        Vivaldi = new VivaldiClient(config.Vivaldi, random);
        Swim = new SwimCore(config.Swim, random, new Delegate(this), logger);
        // As Serf: clocks start at 1, so a default LTime of 0 (e.g. a join with no intent yet)
        // never counts as news, and the first user event is numbered 1.
        Clock.Increment();
        EventClock.Increment();
    }

    public SwimCore Swim { get; }
    public SerfConfig Config => _cfg;
    public SerfState State { get; private set; } = SerfState.Alive;
    public LamportClock Clock { get; } = new();
    public LamportClock EventClock { get; } = new();
    public VivaldiClient Vivaldi { get; }
    public string Name => _cfg.NodeName;
    public long BadMessages { get; private set; }

    public TimeSpan NextDue
    {
        get
        {
            if (State == SerfState.Shutdown) return TimeSpan.MaxValue;
            var a = Swim.NextDue;
            var b = _timers.NextDue;
            return a < b ? a : b;
        }
    }

    public void Start(TimeSpan now)
    {
        _now = now;
        Swim.Start(now);
        _timers.Schedule(now + _cfg.ReapInterval, ReapTick);
        _timers.Schedule(now + _cfg.ReconnectInterval, ReconnectTick);
        AfterSwim();
    }

    public void Tick(TimeSpan now)
    {
        if (State == SerfState.Shutdown) return;
        _now = now;
        Swim.Tick(now);
        _timers.RunDue(now);
        AfterSwim();
    }

    public void HandlePacket(IPEndPoint from, ReadOnlySpan<byte> data, bool reliable, TimeSpan now)
    {
        if (State == SerfState.Shutdown) return;
        _now = now;
        Swim.HandlePacket(from, data, reliable, now);
        AfterSwim();
    }

    public void SendFailed(OutgoingPacket packet, string error, TimeSpan now)
    {
        _now = now;
        Swim.SendFailed(packet, error, now);
        AfterSwim();
    }

    public void DrainOutbox(List<OutgoingPacket> into) => Swim.DrainOutbox(into);

    public void DrainEvents(List<SerfEvent> into)
    {
        into.AddRange(_events);
        _events.Clear();
    }

    public void DrainJoinResults(List<JoinResult> into)
    {
        into.AddRange(_joinResults);
        _joinResults.Clear();
    }

    /// <summary>
    /// Starts joining through each address; results arrive via <see cref="DrainJoinResults"/>.
    /// With <paramref name="ignoreOld"/> user events from before the join are not replayed.
    /// </summary>
    public IReadOnlyList<uint> Join(IEnumerable<IPEndPoint> addresses, bool ignoreOld, TimeSpan now)
    {
        _now = now;
        var batch = new JoinBatch { IgnoreOld = ignoreOld };
        if (ignoreOld) _ignoreOldJoinsPending += addresses.Count();
        var seqs = new List<uint>();
        foreach (var a in addresses)
        {
            var seq = Swim.Join(a, now);
            _joinBatches[seq] = batch;
            seqs.Add(seq);
        }
        AfterSwim();
        return seqs;
    }

    /// <summary>Starts a graceful leave; <see cref="State"/> becomes Left once it has propagated.</summary>
    public void Leave(TimeSpan now)
    {
        _now = now;
        if (State != SerfState.Alive) return;
        State = SerfState.Leaving;
        var msg = new LeaveIntent(Clock.Time, Name, false);
        Clock.Increment();
        HandleLeaveIntent(msg);
        if (HasAliveMembers())
        {
            var done = false;
            TimerHandle? timeout = null;
            void Next()
            {
                if (done) return;
                done = true;
                timeout?.Cancel();
                LeavePhaseSwim();
            }
            _intentBroadcasts.Enqueue("leave:" + Name, SerfCodec.Encode(msg), Next);
            timeout = _timers.Schedule(now + _cfg.BroadcastTimeout, () =>
            {
                _log.LogWarning("serf: timeout while waiting for graceful leave");
                Next();
            });
        }
        else LeavePhaseSwim();
        AfterSwim();
    }

    private void LeavePhaseSwim()
    {
        var hadAlive = HasAliveMembers();
        Swim.Leave(_now);
        var deadline = _now + _cfg.BroadcastTimeout;
        void Poll()
        {
            if (!Swim.LeaveBroadcastDone && _now < deadline)
            {
                _timers.Schedule(_now + TimeSpan.FromMilliseconds(50), Poll);
                return;
            }
            if (!Swim.LeaveBroadcastDone) _log.LogWarning("memberlist: timeout waiting for leave broadcast");
            // Give the leave a moment to spread before we stop answering.
            if (hadAlive) _timers.Schedule(_now + _cfg.LeavePropagateDelay, () => State = SerfState.Left);
            else State = SerfState.Left;
        }
        Poll();
    }

    /// <summary>Stops everything; the node goes silent (as a killed process would).</summary>
    public void Shutdown()
    {
        State = SerfState.Shutdown;
        Swim.Shutdown();
        _timers.Clear();
    }

    /// <summary>Replaces our tags and re-advertises them.</summary>
    public void SetTags(IReadOnlyDictionary<string, string> tags, TimeSpan now)
    {
        if (SerfCodec.EncodeTags(tags).Length > SerfConfig.MetaMaxSize)
            throw new ArgumentException($"Encoded length of tags exceeds limit of {SerfConfig.MetaMaxSize} bytes");
        _now = now;
        _tags = tags;
        Swim.UpdateMeta(now);
        AfterSwim();
    }

    /// <summary>
    /// Marks a failed member as left (and with <paramref name="prune"/> forgets it at once),
    /// telling the pool. Returns false if the member is unknown.
    /// </summary>
    public bool ForceLeave(string node, bool prune, TimeSpan now)
    {
        _now = now;
        if (!_members.ContainsKey(node)) return false;
        var msg = new LeaveIntent(Clock.Time, node, prune);
        Clock.Increment();
        HandleLeaveIntent(msg);
        if (HasAliveMembers()) _intentBroadcasts.Enqueue("leave:" + node, SerfCodec.Encode(msg));
        AfterSwim();
        return true;
    }

    public IReadOnlyList<Member> Members() => _members.Values.Select(m => m.Member).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

    /// <summary>Members in no particular order (cheaper than <see cref="Members"/> for scans).</summary>
    public IEnumerable<Member> UnorderedMembers => _members.Values.Select(m => m.Member);

    public Member? GetMember(string name) => _members.TryGetValue(name, out var m) ? m.Member : null;

    public Member LocalMember => _members.TryGetValue(Name, out var m) ? m.Member : ToMember(Swim.LocalNode, MemberStatus.Alive);

    public IReadOnlyDictionary<string, string> Tags => _tags;

    /// <summary>Our current network coordinate.</summary>
    public Coordinate GetCoordinate() => Vivaldi.Coordinate;

    /// <summary>Last coordinate heard from <paramref name="node"/>, if any.</summary>
    public Coordinate? GetCachedCoordinate(string node)
        => node == Name ? Vivaldi.Coordinate : _coordinateCache.GetValueOrDefault(node);

    private bool HasAliveMembers()
    {
        foreach (var m in _members.Values)
            if (m.Member.Name != Name && m.Member.Status == MemberStatus.Alive) return true;
        return false;
    }

    /// <summary>Handles the SWIM core's join outcomes: a successful batch announces our join intent.</summary>
    private void AfterSwim()
    {
        var results = new List<JoinResult>();
        Swim.DrainJoinResults(results);
        foreach (var r in results)
        {
            if (!_joinBatches.Remove(r.Seq, out var batch)) { _joinResults.Add(r); continue; }
            if (batch.IgnoreOld) _ignoreOldJoinsPending--;
            if (r.Success && !batch.Succeeded)
            {
                batch.Succeeded = true;
                BroadcastJoin(Clock.Time);
            }
            _joinResults.Add(r);
        }
    }

    private void BroadcastJoin(ulong ltime)
    {
        var msg = new JoinIntent(ltime, Name);
        Clock.Witness(ltime);
        HandleJoinIntent(msg);
        _intentBroadcasts.Enqueue("join:" + Name, SerfCodec.Encode(msg));
    }

    private static Member ToMember(SwimNode n, MemberStatus status) => new(
        n.Name, n.Address.Address, n.Address.Port, SerfCodec.DecodeTags(n.Meta), status,
        n.Vsn.ElementAtOrDefault(0), n.Vsn.ElementAtOrDefault(1), n.Vsn.ElementAtOrDefault(2),
        n.Vsn.ElementAtOrDefault(3), n.Vsn.ElementAtOrDefault(4), n.Vsn.ElementAtOrDefault(5));
}

public sealed partial class SerfCore
{
    /// <summary>Members and clocks worth remembering across a restart.</summary>
    public SnapshotState TakeSnapshot() => new()
    {
        Alive = _members.Values
            .Where(m => m.Member.Status == MemberStatus.Alive && m.Member.Name != Name)
            .Select(m => new SnapshotMember(m.Member.Name, m.Member.AddressText))
            .OrderBy(m => m.Name, StringComparer.Ordinal).ToList(),
        Clock = Clock.Time,
        EventClock = EventClock.Time,
        Left = State is SerfState.Leaving or SerfState.Left,
    };

    /// <summary>Resumes the clocks of a previous run; events up to then are not replayed.</summary>
    public void RestoreClocks(SnapshotState snapshot)
    {
        Clock.Witness(snapshot.Clock);
        EventClock.Witness(snapshot.EventClock);
        _eventMinTime = Math.Max(_eventMinTime, snapshot.EventClock + 1);
    }
}
