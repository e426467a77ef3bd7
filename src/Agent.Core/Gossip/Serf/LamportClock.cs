namespace Consul.Core.Gossip.Serf;

/// <summary>A Lamport clock: orders intents and events without synchronized wall clocks.</summary>
public sealed class LamportClock
{
    public ulong Time { get; private set; }

    /// <summary>Advances the clock and returns the new time.</summary>
    public ulong Increment() => ++Time;

    /// <summary>Moves past a time seen from another node.</summary>
    public void Witness(ulong seen)
    {
        if (seen >= Time) Time = seen + 1;
    }
}
