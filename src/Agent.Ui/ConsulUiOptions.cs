namespace Consul.Ui;

/// <summary>Tuning for the UI's live updates. Defaults suit a browser; tests shorten them.</summary>
public sealed class ConsulUiOptions
{
    /// <summary>Minimum time between two re-renders caused by events (coalescing window).</summary>
    public TimeSpan RenderInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Pages that show values not carried by events (Raft last contact) re-read this often.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the dashboard's charts take a sample.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many samples the charts keep (60 × 5 s = 5 minutes).</summary>
    public int SampleCapacity { get; set; } = 60;

    /// <summary>How many events the events page and the dashboard timeline keep.</summary>
    public int EventFeedCapacity { get; set; } = 500;
}
