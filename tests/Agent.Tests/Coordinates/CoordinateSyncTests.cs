using Consul.Agent.Config;
using Consul.Agent.Coordinates;

namespace Consul.Tests.Coordinates;

/// <summary>How often an agent sends its coordinate (Consul's lib.RateScaledInterval + RandomStagger).</summary>
public class CoordinateSyncTests
{
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Theory]
    [InlineData(3, 0.0, 15.0)]      // small cluster: the minimum
    [InlineData(3, 0.5, 22.5)]      // plus up to the same again as stagger
    [InlineData(6400, 0.0, 100.0)]  // 6400 members / 64 per second
    [InlineData(6400, 0.99, 199.0)]
    public void Interval_ScalesWithTheCluster(int members, double random, double seconds)
    {
        var config = new AgentConfig();
        Assert.Equal(seconds, CoordinateSync.NextInterval(config, members, new FixedRandom(random)).TotalSeconds, 6);
    }

    [Fact]
    public void Interval_HonoursTheConfiguredMinimumAndRate()
    {
        var config = new AgentConfig { SyncCoordinateIntervalMin = TimeSpan.FromSeconds(1), SyncCoordinateRateTarget = 2 };
        Assert.Equal(1.0, CoordinateSync.NextInterval(config, 1, new FixedRandom(0)).TotalSeconds, 6);
        Assert.Equal(5.0, CoordinateSync.NextInterval(config, 10, new FixedRandom(0)).TotalSeconds, 6);
    }
}
