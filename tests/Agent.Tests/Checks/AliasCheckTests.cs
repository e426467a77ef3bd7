using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

/// <summary>An alias source whose checks the test sets; Set signals waiters, SetSilently does not.</summary>
internal sealed class FakeAliasSource : IAliasSource
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<HealthCheck>> _checks = new();
    private readonly HashSet<(string, string)> _services = new();
    private ulong _index = 1;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Reads;
    public string? FailWith;

    private static string Key(string? node) => node ?? "<local>";

    public void Set(string? node, params HealthCheck[] checks)
    {
        TaskCompletionSource old;
        lock (_lock)
        {
            _checks[Key(node)] = [.. checks];
            _index++;
            old = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    public void SetSilently(string? node, params HealthCheck[] checks)
    {
        lock (_lock) _checks[Key(node)] = [.. checks];
    }

    public void AddService(string? node, string id)
    {
        lock (_lock) _services.Add((Key(node), id));
    }

    public ValueTask<AliasChecks> GetChecksAsync(string? node, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        if (FailWith is { } error) throw new InvalidOperationException(error);
        lock (_lock) return ValueTask.FromResult(new AliasChecks(_index, [.. _checks.GetValueOrDefault(Key(node)) ?? []]));
    }

    public ValueTask<bool> ServiceExistsAsync(string? node, string serviceId, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(_services.Contains((Key(node), serviceId)));
    }

    public Task WaitForChangeAsync(string? node, ulong afterIndex, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_lock)
        {
            if (_index > afterIndex) return Task.CompletedTask;
            changed = _changed.Task;
        }
        return changed.WaitAsync(cancellationToken);
    }
}

public class AliasCheckTests
{
    private static HealthCheck Chk(string id, string status, string serviceId = "", string node = "local", string output = "") =>
        new() { CheckID = id, Name = id, Status = status, ServiceID = serviceId, Node = node, Output = output };

    [Fact(Timeout = 30_000)]
    public async Task FollowsLocalServiceHealth()
    {
        var source = new FakeAliasSource();
        source.AddService(null, "web");
        source.Set(null, Chk("web-check", HealthStatus.Passing, "web"), Chk("db-check", HealthStatus.Critical, "db"));
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasService = "web" }, serviceId: "web-proxy");

        Assert.Equal(new CheckUpdate("alias", HealthStatus.Passing, "All checks passing."), await h.WaitForUpdate("alias"));

        source.Set(null, Chk("web-check", HealthStatus.Critical, "web", output: "down"));
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Critical, "Aliased check \"web-check\" failing: down"), await h.WaitForUpdate("alias", 2));

        source.Set(null, Chk("web-check", HealthStatus.Warning, "web", output: "slow"));
        Assert.Equal(HealthStatus.Warning, (await h.WaitForUpdate("alias", 3)).Status);
    }

    [Fact(Timeout = 30_000)]
    public async Task MissingServiceIsCritical()
    {
        var source = new FakeAliasSource();
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasService = "gone" });
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Critical, "Service gone could not be found on node "), await h.WaitForUpdate("alias"));
    }

    [Fact(Timeout = 30_000)]
    public async Task FollowsAnotherNodesChecks()
    {
        var source = new FakeAliasSource();
        source.Set("n2", Chk("serfHealth", HealthStatus.Passing, node: "n2"), Chk("web-check", HealthStatus.Critical, "web", node: "n2"));
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasNode = "n2" });

        // Only node-level checks count when no service is aliased.
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Passing, "All checks passing."), await h.WaitForUpdate("alias"));
        source.Set("n2", Chk("serfHealth", HealthStatus.Critical, node: "n2", output: "Agent not live or unreachable"));
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Critical, "Aliased check \"serfHealth\" failing: Agent not live or unreachable"),
            await h.WaitForUpdate("alias", 2));
    }

    [Fact(Timeout = 30_000)]
    public async Task ServiceOnAnotherNode()
    {
        var source = new FakeAliasSource();
        source.AddService("n2", "web");
        source.Set("n2", Chk("web-check", HealthStatus.Warning, "web", node: "n2", output: "hmm"));
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasNode = "n2", AliasService = "web" });
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Warning, "Aliased check \"web-check\" failing: hmm"), await h.WaitForUpdate("alias"));
    }

    [Fact(Timeout = 30_000)]
    public async Task RereadsEveryMinuteWithoutASignal()
    {
        var source = new FakeAliasSource();
        source.AddService(null, "web");
        source.Set(null, Chk("web-check", HealthStatus.Passing, "web"));
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasService = "web" });
        await h.WaitForUpdate("alias");

        source.SetSilently(null, Chk("web-check", HealthStatus.Critical, "web", output: "x"));
        var second = await h.DriveUntilUpdate("alias", 2, TimeSpan.FromSeconds(10));
        Assert.Equal(HealthStatus.Critical, second.Status);
        Assert.True(h.Time.GetUtcNow() - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) >= TimeSpan.FromMinutes(1));
    }

    [Fact(Timeout = 30_000)]
    public async Task ReadErrorsTurnCriticalFromTheSecondOn()
    {
        var source = new FakeAliasSource { FailWith = "no cluster leader" };
        await using var h = new CheckHarness(alias: source);
        h.Manager.Start("alias", new CheckDefinition { AliasNode = "n2", AliasService = "web" });
        var u = await h.WaitForUpdate("alias");
        Assert.Equal(new CheckUpdate("alias", HealthStatus.Critical, "Failure checking aliased node or service: no cluster leader"), u);
        Assert.True(source.Reads >= 2);

        // After three failures it backs off on the clock instead of spinning.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (source.Reads < 4 && DateTime.UtcNow < until) await Task.Delay(10);
        var reads = source.Reads;
        Assert.Equal(4, reads);
        source.FailWith = null;
        source.AddService("n2", "web");
        var recovered = await h.DriveUntilUpdate("alias", 4, TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Passing, recovered.Status);
    }

    [Fact]
    public async Task AliasWithoutSourceCannotStart()
    {
        await using var h = new CheckHarness();
        Assert.Throws<InvalidOperationException>(() => h.Manager.Start("alias", new CheckDefinition { AliasService = "web" }));
    }
}
