namespace Consul.Core.Gossip.Swim;

/// <summary>
/// Lifeguard local health: missed acks and nacks, and having to refute, raise a score
/// that stretches our probe timeout and interval, so a slow node probes less eagerly
/// instead of accusing healthy members.
/// </summary>
public sealed class Awareness(int max)
{
    public int Score { get; private set; }

    public void ApplyDelta(int delta) => Score = Math.Clamp(Score + delta, 0, Math.Max(0, max - 1));

    public TimeSpan Scale(TimeSpan timeout) => timeout * (Score + 1);
}
