using System.Net;

namespace Consul.Core.Gossip.Swim;

/// <summary>Hooks the layer above (Serf) gives the SWIM core, as memberlist's delegates.</summary>
public interface ISwimDelegate
{
    /// <summary>Metadata (Serf tags) to advertise in our alive messages.</summary>
    byte[] NodeMeta(int limit);
    /// <summary>A user message arrived (piggy-backed or direct).</summary>
    void NotifyMsg(byte[] message);
    /// <summary>User broadcasts to piggy-back, fitting <paramref name="limit"/> bytes with <paramref name="overhead"/> per message.</summary>
    List<byte[]> GetBroadcasts(int overhead, int limit);
    /// <summary>State sent in push-pull exchanges.</summary>
    byte[] LocalState(bool join);
    void MergeRemoteState(byte[] state, bool join);

    void NotifyJoin(SwimNode node);
    void NotifyLeave(SwimNode node);
    void NotifyUpdate(SwimNode node);

    /// <summary>Payload attached to our acks (our network coordinate).</summary>
    byte[] AckPayload();
    /// <summary>A direct probe of <paramref name="node"/> completed in <paramref name="rtt"/>.</summary>
    void NotifyPingComplete(SwimNode node, TimeSpan rtt, byte[] payload);
}

/// <summary>A packet the core wants sent. Reliable ones go over the stream (TCP) transport.</summary>
public readonly record struct OutgoingPacket(IPEndPoint To, byte[] Payload, bool Reliable, uint JoinSeq = 0);

/// <summary>Outcome of one join attempt (a push-pull with a seed address).</summary>
public readonly record struct JoinResult(uint Seq, IPEndPoint Address, bool Success, string? Error);
