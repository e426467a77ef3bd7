using Xunit.Abstractions;

namespace Consul.Tests.Gossip.Sim;

/// <summary>
/// Runs a scenario over many seeds. GOSSIP_SIM_SEEDS=k multiplies every scenario's seed
/// count by k; GOSSIP_SIM_SEED=n replays seed n alone. A failure names its seed so it can be replayed.
/// </summary>
internal static class SeedRunner
{
    public static int Count(int defaultCount)
    {
        var env = Environment.GetEnvironmentVariable("GOSSIP_SIM_SEEDS");
        return int.TryParse(env, out var k) && k > 0 ? defaultCount * k : defaultCount;
    }

    public static IEnumerable<int> Seeds(int defaultCount, int first = 1)
    {
        var one = Environment.GetEnvironmentVariable("GOSSIP_SIM_SEED");
        if (int.TryParse(one, out var seed)) return [seed];
        return Enumerable.Range(first, Count(defaultCount));
    }

    public static void Run(ITestOutputHelper output, string scenario, int defaultCount, Action<int> run, int first = 1)
    {
        var failures = new List<string>();
        var ran = 0;
        foreach (var seed in Seeds(defaultCount, first))
        {
            ran++;
            try { run(seed); }
            catch (Exception e)
            {
                var msg = $"{scenario}: seed {seed} failed (replay: GOSSIP_SIM_SEED={seed}): {e.Message}";
                output.WriteLine(msg);
                failures.Add(msg);
                if (failures.Count >= 3) break;
            }
        }
        output.WriteLine($"{scenario}: {ran} seeds, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
