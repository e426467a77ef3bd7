using System.Net;

namespace Consul.Core.Gossip.Transport;

/// <summary>A packet or stream message received from a peer.</summary>
public readonly record struct IncomingPacket(IPEndPoint From, byte[] Payload, bool Reliable);

/// <summary>
/// What the gossip driver needs from the network: best-effort datagrams (probes, gossip)
/// and reliable one-shot messages (push-pull, TCP fallback probes, large messages).
/// </summary>
public interface IGossipTransport : IAsyncDisposable
{
    /// <summary>The address peers reach us on.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Begins receiving; every packet is handed to <paramref name="onPacket"/>. For stream
    /// messages a non-null return is sent back to the sender as an error (e.g. a key mismatch).
    /// </summary>
    void Start(Func<IncomingPacket, string?> onPacket);

    /// <summary>Sends a datagram; losses are silent, as with UDP.</summary>
    void SendPacket(IPEndPoint to, byte[] payload);

    /// <summary>
    /// Delivers one message reliably; throws if the peer cannot be reached in time, or
    /// <see cref="GossipRemoteException"/> if the peer rejected it.
    /// </summary>
    Task SendStreamAsync(IPEndPoint to, byte[] payload, TimeSpan timeout, CancellationToken ct);
}

/// <summary>The peer received our stream message and refused it, saying why.</summary>
public sealed class GossipRemoteException(string message) : Exception("remote error: " + message);
