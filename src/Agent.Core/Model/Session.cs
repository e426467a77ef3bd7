using System.Text.Json.Serialization;

namespace Consul.Core.Model;

/// <summary>A service check a session depends on (Consul's structs.ServiceCheck).</summary>
public sealed record SessionServiceCheck
{
    public string ID { get; init; } = "";
    public string Namespace { get; init; } = "";
}

/// <summary>Consul's structs.Session. LockDelay is in nanoseconds on the wire, as Consul's.</summary>
public sealed record Session
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Node { get; init; } = "";
    /// <summary>Nanoseconds, as Consul serializes time.Duration.</summary>
    public long LockDelay { get; init; } = 15_000_000_000;
    [JsonIgnore] public TimeSpan LockDelaySpan => TimeSpan.FromTicks(LockDelay / 100);
    public string Behavior { get; init; } = SessionBehavior.Release;
    public string TTL { get; init; } = "";
    public List<string>? NodeChecks { get; init; }
    public List<SessionServiceCheck>? ServiceChecks { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>Every check ID the session depends on.</summary>
    [JsonIgnore]
    public IEnumerable<string> CheckIds => (NodeChecks ?? []).Concat((ServiceChecks ?? []).Select(c => c.ID));
}

public static class SessionBehavior
{
    public const string Release = "release";
    public const string Delete = "delete";
}
