using System.Net;

namespace Consul.Core.Gossip.Swim;

/// <summary>
/// Tuning of the SWIM/Lifeguard failure detector. Defaults are memberlist's
/// DefaultLANConfig; <see cref="DefaultWan"/> mirrors DefaultWANConfig.
/// </summary>
public sealed record SwimConfig
{
    /// <summary>Unique node name in the pool.</summary>
    public string Name { get; init; } = "";
    /// <summary>Address other members use to reach this node (UDP and TCP).</summary>
    public IPEndPoint Address { get; init; } = new(IPAddress.Loopback, 8301);

    public TimeSpan TcpTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int IndirectChecks { get; init; } = 3;
    public int RetransmitMult { get; init; } = 4;
    public int SuspicionMult { get; init; } = 4;
    public int SuspicionMaxTimeoutMult { get; init; } = 6;
    public TimeSpan PushPullInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);
    public bool DisableTcpPings { get; init; }
    /// <summary>Lifeguard local health: timeouts stretch up to this multiple when we look unhealthy.</summary>
    public int AwarenessMaxMultiplier { get; init; } = 8;
    public int GossipNodes { get; init; } = 3;
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan GossipToTheDeadTime { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Largest UDP payload we build (before encryption overhead).</summary>
    public int UdpBufferSize { get; init; } = 1400;
    /// <summary>A dead node's name may be taken by a new address after this long (0 = never).</summary>
    public TimeSpan DeadNodeReclaimTime { get; init; } = TimeSpan.Zero;
    /// <summary>Largest stream (TCP) message accepted, e.g. a push-pull of a big pool.</summary>
    public int MaxStreamMessageSize { get; init; } = 10 * 1024 * 1024;

    /// <summary>Protocol versions advertised in alive messages: min, max, current for memberlist and the delegate.</summary>
    public byte ProtocolMin { get; init; } = 1;
    public byte ProtocolMax { get; init; } = 5;
    public byte ProtocolCur { get; init; } = 2;
    public byte DelegateMin { get; init; } = 2;
    public byte DelegateMax { get; init; } = 5;
    public byte DelegateCur { get; init; } = 4;

    public static SwimConfig DefaultLan(string name, IPEndPoint address) => new() { Name = name, Address = address };

    public static SwimConfig DefaultWan(string name, IPEndPoint address) => new()
    {
        Name = name,
        Address = address,
        TcpTimeout = TimeSpan.FromSeconds(30),
        SuspicionMult = 6,
        PushPullInterval = TimeSpan.FromSeconds(60),
        ProbeTimeout = TimeSpan.FromSeconds(3),
        ProbeInterval = TimeSpan.FromSeconds(5),
        GossipNodes = 4,
        GossipInterval = TimeSpan.FromMilliseconds(500),
        GossipToTheDeadTime = TimeSpan.FromSeconds(60),
    };

    internal byte[] VersionVector() => [ProtocolMin, ProtocolMax, ProtocolCur, DelegateMin, DelegateMax, DelegateCur];
}
