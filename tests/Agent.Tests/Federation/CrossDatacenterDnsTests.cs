using System.Net;
using DnsClient;
using DnsClient.Protocol;
using static Consul.Tests.Federation.TwoDatacenters;

namespace Consul.Tests.Federation;

/// <summary>
/// DNS names for dc2 asked of dc1's agents (port 8600): the agent reads dc2's catalog through the
/// same forwarding as ?dc=dc2 and answers with names in dc2.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class CrossDatacenterDnsTests(TwoDatacenters dcs)
{
    private static LookupClient Dns(string agent) => new(new LookupClientOptions(new NameServer(IPAddress.Parse(agent), 8600))
    {
        UseCache = false,
        // Generous: the machine running the suite may be busy.
        Timeout = TimeSpan.FromSeconds(5),
        Retries = 2,
        ThrowDnsErrors = false,
        ContinueOnDnsError = false,
        ContinueOnEmptyResponse = false,
    });

    private static List<string> Addresses(IDnsQueryResponse r) =>
        r.Answers.ARecords().Select(a => a.Address.ToString()).Order(StringComparer.Ordinal).ToList();

    [Theory(Timeout = 60_000)]
    [InlineData(Dc1Client)]
    [InlineData(Dc1Server)]
    public async Task Service_A_in_dc2_answers_dc2s_instance(string agent)
    {
        var r = await Dns(agent).QueryAsync("web.service.dc2.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, r.Header.ResponseCode);
        Assert.Equal(["10.2.0.1"], Addresses(r));
        // The same name without the dc is dc1's instance.
        Assert.Equal(["10.1.0.1"], Addresses(await Dns(agent).QueryAsync("web.service.consul", QueryType.A)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Service_srv_in_dc2_names_the_node_in_dc2()
    {
        foreach (var name in new[] { "web.service.dc2.consul", "_web._tcp.service.dc2.consul" })
        {
            var r = await Dns(Dc1Client).QueryAsync(name, QueryType.SRV);
            var srv = Assert.Single(r.Answers.SrvRecords());
            Assert.Equal((9090, "web-dc2-node.node.dc2.consul."), (srv.Port, srv.Target.Value));
            Assert.Contains(r.Additionals.ARecords(), a => a.DomainName.Value == "web-dc2-node.node.dc2.consul." && a.Address.ToString() == "10.2.0.1");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Node_lookups_in_dc2()
    {
        Assert.Equal(["10.2.0.1"], Addresses(await Dns(Dc1Client).QueryAsync("web-dc2-node.node.dc2.consul", QueryType.A)));
        Assert.Equal([Dc2Server], Addresses(await Dns(Dc1Client).QueryAsync("server-dc2.node.dc2.consul", QueryType.A)));
        var missing = await Dns(Dc1Client).QueryAsync("web-dc1-node.node.dc2.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, missing.Header.ResponseCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Unknown_datacenter_is_nxdomain()
    {
        var r = await Dns(Dc1Client).QueryAsync("web.service.nowhere.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, r.Header.ResponseCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_change_in_dc2_shows_in_dns_although_dc1s_index_did_not_move()
    {
        var before = await Dns(Dc1Client).QueryAsync("late.service.dc2.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, before.Header.ResponseCode);
        await dcs.Register(Dc2Server, "late-dc2-node", "10.2.0.77", "late", 1234, wan: null);
        await dcs.WaitUntilAsync("late.service.dc2.consul answers", async () =>
            Addresses(await Dns(Dc1Client).QueryAsync("late.service.dc2.consul", QueryType.A)).SequenceEqual(["10.2.0.77"]),
            TimeSpan.FromSeconds(15));
    }
}
