using System.Net;
using Consul.Core.Dns;
using DnsClient;

namespace Consul.Tests.Dns;

/// <summary>dns_config.recursor_strategy with two in-test upstreams on loopback UDP.</summary>
public class RecursorStrategyTests
{
    private const int Queries = 24;

    private static DnsOptions Options(RecursorStrategy strategy, params string[] recursors) =>
        new() { NodeName = "node1", Recursors = recursors, RecursorTimeout = TimeSpan.FromSeconds(2), RecursorStrategy = strategy };

    /// <summary>Which upstream answered each of <see cref="Queries"/> distinct names (distinct so no cache answers).</summary>
    private static async Task<List<string>> AnswersFor(RunningDns dns)
    {
        var answers = new List<string>();
        var client = dns.Client();
        for (var i = 0; i < Queries; i++)
        {
            var r = await client.QueryAsync($"host{i}.example.com", QueryType.A);
            answers.Add(Assert.Single(r.Answers.ARecords()).Address.ToString());
        }
        return answers;
    }

    [Fact(Timeout = 30_000)]
    public async Task Sequential_always_asks_the_first_recursor()
    {
        using var first = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"));
        using var second = UpstreamDns.Start(IPAddress.Parse("192.0.2.2"));
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), Options(RecursorStrategy.Sequential, first.Endpoint, second.Endpoint));

        Assert.All(await AnswersFor(dns), a => Assert.Equal("192.0.2.1", a));
        Assert.Equal(0, second.Queries);
    }

    [Fact(Timeout = 30_000)]
    public async Task Random_spreads_first_tries_over_the_recursors()
    {
        using var first = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"));
        using var second = UpstreamDns.Start(IPAddress.Parse("192.0.2.2"));
        // RunningDns injects a seeded Random, so the order drawn is the same on every run.
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), Options(RecursorStrategy.Random, first.Endpoint, second.Endpoint));

        var answers = await AnswersFor(dns);
        Assert.Contains("192.0.2.1", answers);
        Assert.Contains("192.0.2.2", answers);
        // Each query still stops at the first recursor that answers.
        Assert.Equal(Queries, first.Queries + second.Queries);
    }

    [Fact(Timeout = 30_000)]
    public async Task Random_still_fails_over_past_a_failing_recursor()
    {
        using var failing = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"), failing: true);
        using var good = UpstreamDns.Start(IPAddress.Parse("192.0.2.2"));
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), Options(RecursorStrategy.Random, failing.Endpoint, good.Endpoint));

        Assert.All(await AnswersFor(dns), a => Assert.Equal("192.0.2.2", a));
        Assert.True(failing.Queries > 0, "the random order never put the failing recursor first");
        Assert.Equal(Queries, good.Queries);
    }
}
