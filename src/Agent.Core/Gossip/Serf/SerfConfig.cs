using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Swim;

namespace Consul.Core.Gossip.Serf;

/// <summary>Serf settings; defaults are serf's DefaultConfig except ReconnectTimeout (Consul: 72h).</summary>
public sealed record SerfConfig
{
    public required SwimConfig Swim { get; init; }
    public string NodeName => Swim.Name;
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public TimeSpan BroadcastTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan LeavePropagateDelay { get; init; } = TimeSpan.FromSeconds(1);
    public int EventBuffer { get; init; } = 512;
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RecentIntentTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromHours(72);
    public TimeSpan TombstoneTimeout { get; init; } = TimeSpan.FromHours(24);
    public int MaxQueueDepth { get; init; } = 4096;
    public int UserEventSizeLimit { get; init; } = 512;
    /// <summary>User events sent with coalesce=true are held this long and only the latest per name is delivered (0 = off).</summary>
    public TimeSpan UserCoalescePeriod { get; init; } = TimeSpan.Zero;
    public bool DisableCoordinates { get; init; }
    public VivaldiConfig Vivaldi { get; init; } = new();
    /// <summary>Meta (encoded tags) must fit memberlist's limit.</summary>
    public const int MetaMaxSize = 512;
}
