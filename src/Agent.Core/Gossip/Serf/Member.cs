using System.Net;

namespace Consul.Core.Gossip.Serf;

public enum MemberStatus { None, Alive, Leaving, Left, Failed }

/// <summary>A member of a gossip pool as Serf reports it (what `consul members` prints).</summary>
public sealed record Member(
    string Name,
    IPAddress Addr,
    int Port,
    IReadOnlyDictionary<string, string> Tags,
    MemberStatus Status,
    byte ProtocolMin,
    byte ProtocolMax,
    byte ProtocolCur,
    byte DelegateMin,
    byte DelegateMax,
    byte DelegateCur)
{
    /// <summary>Lower-case status as Consul prints it: alive, leaving, left, failed.</summary>
    public string StatusText => Status switch
    {
        MemberStatus.Alive => "alive",
        MemberStatus.Leaving => "leaving",
        MemberStatus.Left => "left",
        MemberStatus.Failed => "failed",
        _ => "none",
    };

    public string AddressText => new IPEndPoint(Addr, Port).ToString();

    public string Tag(string key) => Tags.TryGetValue(key, out var v) ? v : "";
}

public enum MemberEventType { Join, Leave, Failed, Update, Reap }

/// <summary>Something the layer above wants to hear about.</summary>
public abstract record SerfEvent;

public sealed record MemberEvent(MemberEventType Type, Member Member) : SerfEvent;

/// <summary>A user event (`consul event`), ordered and de-duplicated by its Lamport time.</summary>
public sealed record UserEvent(ulong LTime, string Name, byte[] Payload, bool Coalesce) : SerfEvent;
