using System.Net;

namespace Consul.Core.Gossip.Swim;

public enum SwimMessageType : byte
{
    Ping = 0,
    IndirectPing = 1,
    Ack = 2,
    Suspect = 3,
    Alive = 4,
    Dead = 5,
    PushPull = 6,
    User = 8,
    Nack = 9,
}

/// <summary>One SWIM message. Several are packed into a single packet (compound).</summary>
public abstract record SwimMessage
{
    public abstract SwimMessageType Type { get; }
}

/// <summary>Direct probe. Target names the node we think lives at the address, so a restarted
/// process on the same address does not answer for someone else.</summary>
public sealed record PingMessage(uint SeqNo, string Target, IPEndPoint Source, string SourceNode) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Ping;
}

/// <summary>Asks a member to probe <see cref="Target"/> for us and relay the ack (and a nack if it times out).</summary>
public sealed record IndirectPingMessage(uint SeqNo, string Target, IPEndPoint TargetAddress, bool WantNack, IPEndPoint Source, string SourceNode) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.IndirectPing;
}

/// <summary>Answer to a ping; the payload carries the responder's network coordinate.</summary>
public sealed record AckMessage(uint SeqNo, byte[] Payload) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Ack;
}

public sealed record NackMessage(uint SeqNo) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Nack;
}

public sealed record SuspectMessage(uint Incarnation, string Node, string From) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Suspect;
}

public sealed record AliveMessage(uint Incarnation, string Node, IPEndPoint Address, byte[] Meta, byte[] Vsn) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Alive;
}

/// <summary>Node declared dead; when From == Node the node announced its own graceful leave.</summary>
public sealed record DeadMessage(uint Incarnation, string Node, string From) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.Dead;
}

public sealed record PushNodeState(string Name, IPEndPoint Address, byte[] Meta, uint Incarnation, NodeStateKind State, byte[] Vsn);

/// <summary>Full state exchange (anti-entropy) over the stream transport; also how a join is made.</summary>
public sealed record PushPullMessage(uint SeqNo, bool Join, bool IsReply, IPEndPoint Source, IReadOnlyList<PushNodeState> Nodes, byte[] UserState) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.PushPull;
}

/// <summary>Opaque message of the layer above (Serf intents and user events).</summary>
public sealed record UserMessage(byte[] Payload) : SwimMessage
{
    public override SwimMessageType Type => SwimMessageType.User;
}
