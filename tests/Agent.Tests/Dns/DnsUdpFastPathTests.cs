using Consul.Core.Dns;
using Consul.Core.Model;
using DnsClient;
using DnsClient.Protocol;

namespace Consul.Tests.Dns;

/// <summary>The UDP transport's cache of encoded responses, seen from a client.</summary>
public class DnsUdpFastPathTests
{
    private static DnsCatalog ThreeWebs()
    {
        var c = new DnsCatalog();
        for (var i = 1; i <= 3; i++)
        {
            c.Node($"node{i}", $"10.0.0.{i}");
            c.Service($"node{i}", $"10.0.0.{i}", new NodeService { ID = "web", Service = "web", Port = 8080 }, ("web-check", HealthStatus.Passing));
        }
        return c;
    }

    private static string Order(IDnsQueryResponse r) => string.Join(",", r.Answers.ARecords().Select(a => a.Address));

    [Fact(Timeout = 60_000)]
    public async Task RepeatQueries_AreServedFromTheCache_InEveryOrder()
    {
        await using var dns = await RunningDns.StartAsync(ThreeWebs());
        var client = dns.Client();
        var orders = new HashSet<string>();
        for (var i = 0; i < 400 && orders.Count < 6; i++)
        {
            var r = await client.QueryAsync("web.service.consul", QueryType.A);
            Assert.Equal(3, r.Answers.ARecords().Count());
            orders.Add(Order(r));
        }
        Assert.Equal(6, orders.Count);
        Assert.True(dns.Server.WireCache.Count >= 1);
        // Once every order is known, answers keep coming from the cache in every order.
        var cachedOrders = new HashSet<string>();
        for (var i = 0; i < 400 && cachedOrders.Count < 6; i++)
            cachedOrders.Add(Order(await client.QueryAsync("web.service.consul", QueryType.A)));
        Assert.Equal(6, cachedOrders.Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task CatalogChange_IsSeenByTheNextQuery()
    {
        var catalog = ThreeWebs();
        await using var dns = await RunningDns.StartAsync(catalog);
        var client = dns.Client();
        for (var i = 0; i < 50; i++) Assert.Equal(3, (await client.QueryAsync("web.service.consul", QueryType.A)).Answers.ARecords().Count());

        // udp_answer_limit (3) caps the answer, so swap an instance rather than add one.
        catalog.Node("node4", "10.0.0.4");
        catalog.Service("node4", "10.0.0.4", new NodeService { ID = "web", Service = "web", Port = 8080 }, ("web-check", HealthStatus.Passing));
        catalog.NodeCheck("node1", "maint", HealthStatus.Critical);
        var after = await client.QueryAsync("web.service.consul", QueryType.A);
        Assert.Equal(["10.0.0.2", "10.0.0.3", "10.0.0.4"], after.Answers.ARecords().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal));

        catalog.NodeCheck("node1", "maint", HealthStatus.Passing);
        catalog.NodeCheck("node4", "maint", HealthStatus.Critical);
        var back = await client.QueryAsync("web.service.consul", QueryType.A);
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], back.Answers.ARecords().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task CachedAnswers_KeepEachQuerysCaseAndId()
    {
        await using var dns = await RunningDns.StartAsync(ThreeWebs());
        var ids = new HashSet<ushort>();
        foreach (var name in new[] { "node1.node.consul", "NODE1.Node.Consul" })
        {
            for (var i = 0; i < 20; i++)
            {
                var id = (ushort)(1000 + ids.Count);
                ids.Add(id);
                var reply = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(id, name, 1), TimeSpan.FromSeconds(3));
                Assert.NotNull(reply);
                Assert.Equal(id, RawDns.Id(reply));
                var response = ARSoft.Tools.Net.Dns.DnsMessage.Parse(reply);
                Assert.Equal(name + ".", response.Questions.Single().Name.ToString());
                var answer = Assert.IsType<ARSoft.Tools.Net.Dns.ARecord>(Assert.Single(response.AnswerRecords));
                Assert.Equal(name + ".", answer.Name.ToString());
                Assert.Equal("10.0.0.1", answer.Address.ToString());
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Stop_ReleasesThePort_WhileReceiversWereBlocked()
    {
        var dns = await RunningDns.StartAsync(ThreeWebs());
        var port = dns.Port;
        Assert.Equal(3, (await dns.Client().QueryAsync("web.service.consul", QueryType.A)).Answers.ARecords().Count());
        await dns.DisposeAsync();

        // A receive thread still inside recvfrom would keep the socket, and so the port, alive.
        using var again = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        again.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        Assert.Equal(port, ((System.Net.IPEndPoint)again.LocalEndPoint!).Port);
    }
}
