using System.Net;

namespace Consul.Core.Gossip.Swim;

public enum NodeStateKind : byte { Alive = 0, Suspect = 1, Dead = 2, Left = 3 }

/// <summary>What one node knows about one member of the pool.</summary>
public sealed class SwimNode
{
    public required string Name { get; init; }
    public required IPEndPoint Address { get; set; }
    public byte[] Meta { get; set; } = [];
    /// <summary>min, max, cur of the SWIM protocol then min, max, cur of the delegate (Serf) protocol.</summary>
    public byte[] Vsn { get; set; } = new byte[6];
    public uint Incarnation { get; set; }
    public NodeStateKind State { get; set; } = NodeStateKind.Dead;
    public TimeSpan StateChange { get; set; }

    public bool IsDeadOrLeft => State is NodeStateKind.Dead or NodeStateKind.Left;

    public override string ToString() => $"{Name}@{Address} {State} inc={Incarnation}";
}
