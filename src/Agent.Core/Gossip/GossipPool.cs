using System.Net;
using System.Threading.Channels;
using Consul.Core.Events;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using UserEvent = Consul.Core.Gossip.Serf.UserEvent;
using Consul.Core.Gossip.Swim;
using Consul.Core.Gossip.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Core.Gossip;

/// <summary>
/// A running gossip pool: the pure <see cref="SerfCore"/> driven by a clock and a transport.
/// All core access happens under one lock; a loop wakes when the next timer is due.
/// Membership changes go to the <see cref="EventStream"/> and to <see cref="Events"/>.
/// </summary>
public sealed partial class GossipPool : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly GossipPoolConfig _config;
    private readonly IGossipTransport _transport;
    private readonly TimeProvider _time;
    private readonly EventStream? _eventStream;
    private readonly ILogger _log;
    private readonly long _startTimestamp;
    private readonly SerfCore _core;
    private readonly Channel<SerfEvent> _events = Channel.CreateBounded<SerfEvent>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Dictionary<uint, TaskCompletionSource<JoinResult>> _pendingJoins = new();
    private readonly Dictionary<uint, TaskCompletionSource<KeyringResponse>> _keyOps = new();
    private readonly List<OutgoingPacket> _outScratch = new();
    private readonly List<SerfEvent> _eventScratch = new();
    private readonly List<JoinResult> _joinScratch = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private bool _snapshotDirty;
    private SnapshotState? _previous;
    private long _badPackets;

    private GossipPool(GossipPoolConfig config, IGossipTransport transport, TimeProvider time, Random random, EventStream? eventStream, ILogger logger)
    {
        _config = config;
        _transport = transport;
        _time = time;
        _eventStream = eventStream;
        _log = logger;
        _startTimestamp = time.GetTimestamp();
        Keyring = LoadKeyring(config, logger);
        _core = new SerfCore(config.Serf, random, logger) { Keyring = Keyring };
    }

    /// <summary>Creates and starts a pool. With a snapshot in the data dir it rejoins the members it knew.</summary>
    public static GossipPool Create(GossipPoolConfig config, IGossipTransport transport, TimeProvider? time = null,
        Random? random = null, EventStream? eventStream = null, ILogger? logger = null)
    {
        var pool = new GossipPool(config, transport, time ?? TimeProvider.System, random ?? new Random(), eventStream, logger ?? NullLogger.Instance);
        pool.Start();
        return pool;
    }

    public string Name => _core.Name;
    public Keyring Keyring { get; }
    /// <summary>Member and user events, for the agent (the same changes also go to the EventStream).</summary>
    public ChannelReader<SerfEvent> Events => _events.Reader;
    /// <summary>Packets dropped because they could not be decrypted or decoded.</summary>
    public long BadPackets { get { lock (_gate) return _badPackets + _core.Swim.BadPackets + _core.BadMessages; } }
    public SerfState State { get { lock (_gate) return _core.State; } }

    private TimeSpan Now => _time.GetElapsedTime(_startTimestamp) + TimeSpan.FromSeconds(1);

    private void Start()
    {
        var snapshotPath = _config.SnapshotPath;
        if (snapshotPath != null) _previous = SnapshotFile.Load(snapshotPath);
        lock (_gate)
        {
            if (_previous != null) _core.RestoreClocks(_previous);
            _core.Start(Now);
            FlushLocked();
        }
        _transport.Start(OnPacket);
        _loop = Task.Run(Loop);
        if (_previous != null) _ = Task.Run(RejoinFromSnapshot);
    }

    private async Task RejoinFromSnapshot()
    {
        var prev = _previous!;
        if (prev.Left && !_config.RejoinAfterLeave)
        {
            _log.LogInformation("serf: Ignoring previous nodes due to leave");
            return;
        }
        foreach (var m in prev.Alive)
        {
            if (_stop.IsCancellationRequested) return;
            _log.LogInformation("serf: Attempting re-join to previously known node: {Node}: {Addr}", m.Name, m.Addr);
            try
            {
                if (await JoinAsync([m.Addr], ignoreOld: true, _stop.Token) > 0)
                {
                    _log.LogInformation("serf: Re-joined to previously known node: {Node}: {Addr}", m.Name, m.Addr);
                    return;
                }
            }
            catch (GossipJoinException) { }
            catch (OperationCanceledException) { return; }
        }
        _log.LogWarning("serf: Failed to re-join any previously known node");
    }

    private async Task Loop()
    {
        var lastSnapshot = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan delay;
            lock (_gate)
            {
                var now = Now;
                _core.Tick(now);
                FlushLocked();
                if (_snapshotDirty && now - lastSnapshot > TimeSpan.FromSeconds(1))
                {
                    WriteSnapshotLocked();
                    lastSnapshot = now;
                }
                var due = _core.NextDue;
                delay = due == TimeSpan.MaxValue ? TimeSpan.FromSeconds(1) : due - now;
                if (_snapshotDirty && delay > TimeSpan.FromSeconds(1)) delay = TimeSpan.FromSeconds(1);
            }
            if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
            try
            {
                using var wakeOrTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var delayTask = Task.Delay(delay, _time, wakeOrTimeout.Token);
                var wakeTask = _wake.WaitAsync(wakeOrTimeout.Token);
                await Task.WhenAny(delayTask, wakeTask);
                wakeOrTimeout.Cancel();
                try { await Task.WhenAll(delayTask, wakeTask); } catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException) { }
        }
    }

    private string? OnPacket(IncomingPacket p)
    {
        byte[] data = p.Payload;
        if (Keyring.Enabled || PacketCipher.LooksEncrypted(data))
        {
            var error = Unwrap(p, ref data);
            if (error != null) return error;
        }
        lock (_gate)
        {
            _core.HandlePacket(p.From, data, p.Reliable, Now);
            FlushLocked();
        }
        _wake.Release();
        return null;
    }

    /// <summary>Decrypts (or, with verification off, accepts plain) traffic; returns why it was refused.</summary>
    private string? Unwrap(IncomingPacket p, ref byte[] data)
    {
        if (!PacketCipher.LooksEncrypted(data))
            return _config.EncryptVerifyIncoming ? Refuse(p, "Encryption is configured but remote state is not encrypted") : null;
        if (!Keyring.Enabled) return Refuse(p, "Remote state is encrypted and encryption is not configured");
        try
        {
            data = PacketCipher.Decrypt(Keyring.Keys, data);
            return null;
        }
        catch (GossipDecryptException e)
        {
            return Refuse(p, e.Message);
        }
    }

    private string Refuse(IncomingPacket p, string reason)
    {
        Interlocked.Increment(ref _badPackets);
        // Streams carry joins and push-pulls: worth an error; stray datagrams only a debug line.
        if (p.Reliable) _log.LogError("memberlist: failed to receive stream from {From}: {Reason}", p.From, reason);
        else _log.LogDebug("memberlist: failed to decrypt packet from {From}: {Reason}", p.From, reason);
        return reason;
    }

    /// <summary>Sends what the core produced and hands out events and join results. Caller holds the lock.</summary>
    private void FlushLocked()
    {
        _core.DrainOutbox(_outScratch);
        foreach (var p in _outScratch) Send(p);
        _outScratch.Clear();

        _core.DrainEvents(_eventScratch);
        foreach (var e in _eventScratch) Publish(e);
        _eventScratch.Clear();

        _core.DrainJoinResults(_joinScratch);
        foreach (var r in _joinScratch)
            if (_pendingJoins.Remove(r.Seq, out var tcs)) tcs.TrySetResult(r);
        _joinScratch.Clear();

        if (_core.KeyringDirty)
        {
            _core.KeyringDirty = false;
            if (_config.KeyringPath != null) KeyringFile.Save(_config.KeyringPath, Keyring);
        }

        if (_core.State == SerfState.Left) _left.TrySetResult();
    }

    private void Send(OutgoingPacket p)
    {
        var payload = p.Payload;
        var key = Keyring.PrimaryKey;
        if (key != null && _config.EncryptVerifyOutgoing) payload = PacketCipher.Encrypt(key, payload);
        if (!p.Reliable)
        {
            _transport.SendPacket(p.To, payload);
            return;
        }
        var timeout = _config.Serf.Swim.TcpTimeout;
        _ = Task.Run(async () =>
        {
            try { await _transport.SendStreamAsync(p.To, payload, timeout, _stop.Token); }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
            catch (Exception e)
            {
                _log.LogDebug("memberlist: stream to {To} failed: {Error}", p.To, e.Message);
                lock (_gate)
                {
                    _core.SendFailed(p, e.Message, Now);
                    FlushLocked();
                }
            }
        });
    }

    private void Publish(SerfEvent e)
    {
        if (e is KeyringOpCompleted done)
        {
            if (_keyOps.Remove(done.Id, out var tcs)) tcs.TrySetResult(done.Response);
            return;
        }
        _events.Writer.TryWrite(e);
        if (e is MemberEvent) _snapshotDirty = true;
        if (_eventStream == null) return;
        ClusterEvent? ce = e switch
        {
            MemberEvent { Type: MemberEventType.Join, Member: var m } => new MemberJoined(m.Name, m.Addr.ToString(), RoleOf(m), m.Tag("dc")),
            MemberEvent { Type: MemberEventType.Update, Member: var m } => new MemberUpdated(m.Name, m.Addr.ToString()),
            MemberEvent { Type: MemberEventType.Failed, Member: var m } => new MemberFailed(m.Name, m.Addr.ToString()),
            MemberEvent { Type: MemberEventType.Leave, Member: var m } => new MemberLeft(m.Name, m.Addr.ToString()),
            MemberEvent { Type: MemberEventType.Reap, Member: var m } => new MemberReaped(m.Name),
            UserEvent u => new UserEventFired(u.Name, u.LTime.ToString(), u.Payload.Length),
            _ => null,
        };
        if (ce != null) _eventStream.Publish(ce);
    }

    /// <summary>Consul's member type: "server" for role=consul, else "client".</summary>
    public static string RoleOf(Member m) => m.Tag("role") == "consul" ? "server" : "client";

    private void WriteSnapshotLocked()
    {
        _snapshotDirty = false;
        var path = _config.SnapshotPath;
        if (path == null) return;
        try { SnapshotFile.Save(path, _core.TakeSnapshot()); }
        catch (IOException e) { _log.LogWarning("serf: failed to write snapshot: {Error}", e.Message); }
    }

    private static Keyring LoadKeyring(GossipPoolConfig config, ILogger log)
    {
        var path = config.KeyringPath;
        var fromFile = path == null ? null : KeyringFile.Load(path);
        if (fromFile != null)
        {
            if (config.Keyring is { Enabled: true })
                log.LogWarning("WARNING: {Pool} keyring exists but -encrypt given, using keyring", config.Pool.ToUpperInvariant());
            return fromFile;
        }
        var keyring = config.Keyring ?? new Keyring();
        if (path != null && keyring.Enabled) KeyringFile.Save(path, keyring);
        return keyring;
    }
}
