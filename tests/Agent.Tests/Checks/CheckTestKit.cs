using System.Collections.Concurrent;
using Consul.Core.Checks;
using Consul.Core.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Checks;

/// <summary>Records every UpdateCheck call.</summary>
internal sealed class RecordingNotifier : ICheckNotifier
{
    private readonly ConcurrentQueue<CheckUpdate> _updates = new();

    public IReadOnlyList<CheckUpdate> Updates => [.. _updates];

    public void UpdateCheck(string checkId, string status, string output) =>
        _updates.Enqueue(new CheckUpdate(checkId, status, output));
}

internal sealed record CheckUpdate(string CheckId, string Status, string Output);

/// <summary>A manager on a fake clock with a seeded stagger, and helpers to drive it.</summary>
internal sealed class CheckHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public CheckHarness(CheckManagerOptions? options = null, IAliasSource? alias = null)
    {
        Options = options ?? new CheckManagerOptions();
        Options.Random = new Random(1234);
        Manager = new CheckManager(Notifier, Options, Time, NullLoggerFactory.Instance, alias);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public RecordingNotifier Notifier { get; } = new();
    public CheckManagerOptions Options { get; }
    public CheckManager Manager { get; }

    /// <summary>
    /// Moves the fake clock forward in steps until the n-th update for checkId has arrived,
    /// failing after a real-time deadline. By default the clock only moves while the check
    /// waits between probes, so a slow probe never sees its own timeout fire; timeout tests
    /// pass duringProbes to let the clock run while the probe hangs.
    /// </summary>
    public async Task<CheckUpdate> DriveUntilUpdate(string checkId, int nth = 1, TimeSpan? step = null, bool duringProbes = false)
    {
        var stepBy = step ?? TimeSpan.FromMilliseconds(500);
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var mine = Notifier.Updates.Where(u => u.CheckId == checkId).ToList();
            if (mine.Count >= nth) return mine[nth - 1];
            if (DateTime.UtcNow > until) throw new TimeoutException($"no update #{nth} for {checkId}; got {mine.Count}");
            if (duringProbes || IsIdle(checkId)) Time.Advance(stepBy);
            await Task.Delay(10); // let the probe's real I/O proceed between clock steps
        }
    }

    private bool IsIdle(string checkId) => (Manager.RunnerFor(checkId) as IntervalCheck)?.Idle ?? true;

    /// <summary>Waits, without moving the clock, until the n-th update for checkId arrives.</summary>
    public async Task<CheckUpdate> WaitForUpdate(string checkId, int nth = 1)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var mine = Notifier.Updates.Where(u => u.CheckId == checkId).ToList();
            if (mine.Count >= nth) return mine[nth - 1];
            if (DateTime.UtcNow > until) throw new TimeoutException($"no update #{nth} for {checkId}; got {mine.Count}");
            await Task.Delay(10);
        }
    }

    public int CountFor(string checkId) => Notifier.Updates.Count(u => u.CheckId == checkId);

    public ValueTask DisposeAsync() => Manager.DisposeAsync();
}

internal static class Defs
{
    public static CheckDefinition Http(string url, string interval = "10s") => new() { HTTP = url, Interval = interval };
    public static CheckDefinition Tcp(string addr, string interval = "10s") => new() { TCP = addr, Interval = interval };
    public static CheckDefinition Udp(string addr, string interval = "10s") => new() { UDP = addr, Interval = interval };
    public static CheckDefinition Script(params string[] args) => new() { Args = [.. args], Interval = "10s" };
    public static CheckDefinition Ttl(string ttl) => new() { TTL = ttl };

    public static int ClosedPort()
    {
        // Bind then release: nothing listens there afterwards.
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
