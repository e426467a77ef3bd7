using System.Net;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Consul.Tests.Dns;
using DnsClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>dns_config.recursor_strategy from the agent's config reaches its DNS server.</summary>
public sealed class RecursorStrategyConfigTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("sequential")]
    [InlineData("random")]
    public async Task Agent_dns_tries_recursors_in_the_configured_strategy(string strategy)
    {
        using var first = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"));
        using var second = UpstreamDns.Start(IPAddress.Parse("192.0.2.2"));
        var config = DefaultConfig() with
        {
            Ports = new PortsConfig { Dns = 0 },
            ClientAddrs = ["127.0.0.1"],
            Recursors = [first.Endpoint, second.Endpoint],
            Dns = new DnsConfig { RecursorStrategy = strategy },
        };
        await using var h = await StartAsync(config);
        var dns = h.App.Services.GetServices<IHostedService>().OfType<DnsService>().Single();
        var client = new LookupClient(new LookupClientOptions(new NameServer(dns.Endpoints[0]))
        {
            UseCache = false, Timeout = TimeSpan.FromSeconds(3), Retries = 1, ThrowDnsErrors = false,
        });

        // 30 fresh names: an unseeded random order leaves the second recursor untried with odds of 2^-30.
        for (var i = 0; i < 30; i++)
            await client.QueryAsync($"host{i}.example.com", QueryType.A);

        Assert.Equal(30, first.Queries + second.Queries);
        if (strategy == "sequential") Assert.Equal(0, second.Queries);
        else Assert.True(first.Queries > 0 && second.Queries > 0, $"first {first.Queries}, second {second.Queries}");
    }
}
