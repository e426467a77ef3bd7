namespace Consul.Core.Local;

/// <summary>Agent settings <see cref="LocalState"/> needs (Consul's local.Config).</summary>
public sealed class LocalStateOptions
{
    /// <summary>
    /// check_update_interval: a check whose status is unchanged but whose output changed is
    /// pushed to the catalog only after a deferral of Interval/2 plus a random stagger of up to
    /// Interval. Zero pushes every output change at once. Consul's default is 5m.
    /// </summary>
    public TimeSpan CheckUpdateInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Source of the deferral stagger; inject a seeded one in tests.</summary>
    public Random Random { get; init; } = Random.Shared;
}
