using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Dns;
using Consul.Tests.Dns;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.Federation;

/// <summary>
/// DNS names about another datacenter, answered from a fetched remote view with this agent's
/// dns_config (no sockets: the fetch is a stand-in returning what dc2's API would).
/// </summary>
public sealed class RemoteDnsTests
{
    private const string WebInstances = """
        [
          {"Node":{"ID":"a","Node":"web-a","Address":"10.2.0.1","Datacenter":"dc2","TaggedAddresses":{"lan":"10.2.0.1","wan":"198.51.100.1"},"Meta":{}},
           "Service":{"ID":"web1","Service":"web","Tags":["v1"],"Address":"","TaggedAddresses":null,"Meta":null,"Port":8080,"Weights":{"Passing":1,"Warning":1}},
           "Checks":[{"Node":"web-a","CheckID":"serfHealth","Name":"Serf Health Status","Status":"passing","ServiceID":"","ServiceName":""}]},
          {"Node":{"ID":"b","Node":"web-b","Address":"10.2.0.2","Datacenter":"dc2","TaggedAddresses":{},"Meta":{}},
           "Service":{"ID":"web2","Service":"web","Tags":["v2"],"Address":"10.2.9.2","TaggedAddresses":{},"Meta":{},"Port":9090},
           "Checks":[{"Node":"web-b","CheckID":"svc","Name":"svc","Status":"warning","ServiceID":"web2","ServiceName":"web"}]},
          {"Node":{"ID":"c","Node":"web-c","Address":"10.2.0.3","Datacenter":"dc2","TaggedAddresses":{},"Meta":{}},
           "Service":{"ID":"web3","Service":"web","Tags":[],"Address":"","TaggedAddresses":{},"Meta":{},"Port":7070},
           "Checks":[{"Node":"web-c","CheckID":"svc","Name":"svc","Status":"critical","ServiceID":"web3","ServiceName":"web"}]}
        ]
        """;

    private const string NodeWebA = """
        {"Node":{"ID":"a","Node":"web-a","Address":"10.2.0.1","Datacenter":"dc2","TaggedAddresses":{"wan":"198.51.100.1"},"Meta":{"rack":"r1"}},
         "Services":{"web1":{"ID":"web1","Service":"web","Tags":[],"Address":"","Port":8080}}}
        """;

    private const string QueryResult = """
        {"Service":"web","Nodes":[{"Node":{"Node":"web-a","Address":"10.2.0.1","Datacenter":"dc2"},"Service":{"ID":"web1","Service":"web","Port":8080},"Checks":[]}],
         "DNS":{"TTL":"7s"},"Datacenter":"dc2","Failovers":0}
        """;

    private sealed class FakeDc2
    {
        public List<RemoteLookup> Asked { get; } = [];
        public Func<RemoteLookup, RemoteReply> Reply { get; set; } = lookup => lookup.Kind switch
        {
            RemoteKind.Service when lookup.Name == "web" => Ok(WebInstances),
            RemoteKind.Service => Ok("[]"),
            RemoteKind.Node when lookup.Name == "web-a" => Ok(NodeWebA),
            RemoteKind.Query when lookup.Name == "q1" => Ok(QueryResult),
            _ => new RemoteReply(404, []),
        };

        public Task<RemoteReply> Fetch(RemoteLookup lookup, CancellationToken ct)
        {
            lock (Asked) Asked.Add(lookup);
            return Task.FromResult(Reply(lookup));
        }

        public static RemoteReply Ok(string json) => new(200, Encoding.UTF8.GetBytes(json));
    }

    private readonly FakeDc2 _dc2 = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private DnsOptions Options(bool fromServers = false) => new()
    {
        NodeName = "node1",
        KnownDatacenters = () => ["dc1", "dc2"],
        RemoteFetch = _dc2.Fetch,
        DatacentersFromServers = fromServers,
    };

    private DnsQueryHandler Handler(DnsOptions options) =>
        new(DnsCatalog.Standard().Store, new DnsResolver(options, _time, new Random(1)), new DnsAnswerCache(_time, options.AnswerCacheMaxAge), null, null, _time);

    private static DnsMessage Ask(DnsQueryHandler h, string name, RecordType type) =>
        h.HandleAsync(Query(name, type), false, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Service_A_in_dc2_comes_from_dc2s_health_read_with_critical_instances_dropped()
    {
        var r = Ask(Handler(Options()), "web.service.dc2.consul", RecordType.A);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.Equal(["10.2.0.1", "10.2.9.2"], Addresses(r));
        Assert.Equal(new RemoteLookup("dc2", RemoteKind.Service, "web"), Assert.Single(_dc2.Asked));
        Assert.Equal("/v1/health/service/web?dc=dc2", _dc2.Asked[0].PathAndQuery);
    }

    [Fact]
    public void Only_passing_and_tags_filter_the_remote_instances_as_local_ones()
    {
        Assert.Equal(["10.2.0.1"], Addresses(Ask(Handler(Options() with { OnlyPassing = true }), "web.service.dc2.consul", RecordType.A)));
        Assert.Equal(["10.2.9.2"], Addresses(Ask(Handler(Options()), "v2.web.service.dc2.consul", RecordType.A)));
    }

    [Fact]
    public void Srv_targets_are_named_in_the_remote_datacenter()
    {
        var r = Ask(Handler(Options()), "_web._tcp.service.dc2.consul", RecordType.Srv);
        var targets = r.AnswerRecords.OfType<SrvRecord>().Select(s => s.Target.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["0a020902.addr.dc2.consul.", "web-a.node.dc2.consul."], targets);
        Assert.Contains(r.AdditionalRecords.OfType<ARecord>(), a => a.Name.ToString() == "web-a.node.dc2.consul." && a.Address.ToString() == "10.2.0.1");
    }

    [Fact]
    public void Node_lookup_in_dc2_reads_dc2s_catalog_node()
    {
        var r = Ask(Handler(Options()), "web-a.node.dc2.consul", RecordType.A);
        Assert.Equal(["10.2.0.1"], Addresses(r));
        Assert.Equal("/v1/catalog/node/web-a?dc=dc2", Assert.Single(_dc2.Asked).PathAndQuery);
        Assert.Equal(ReturnCode.NxDomain, Ask(Handler(Options()), "nope.node.dc2.consul", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Prepared_query_in_dc2_uses_dc2s_execution_and_its_ttl()
    {
        var r = Ask(Handler(Options()), "q1.query.dc2.consul", RecordType.A);
        var a = Assert.IsType<ARecord>(Assert.Single(r.AnswerRecords));
        Assert.Equal(("10.2.0.1", 7), (a.Address.ToString(), a.TimeToLive));
        Assert.Equal("/v1/query/q1/execute?dc=dc2", Assert.Single(_dc2.Asked).PathAndQuery);
    }

    [Fact]
    public void Translate_wan_addrs_answers_with_wan_tagged_addresses_for_the_remote_dc_only()
    {
        var h = Handler(Options() with { TranslateWanAddrs = true });
        Assert.Equal(["10.2.9.2", "198.51.100.1"], Addresses(Ask(h, "web.service.dc2.consul", RecordType.A)));
        Assert.Equal(["198.51.100.1"], Addresses(Ask(h, "web-a.node.dc2.consul", RecordType.A)));
        // The local datacenter keeps LAN addresses.
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(Ask(h, "web.service.consul", RecordType.A)));
    }

    [Fact]
    public void Unknown_dc_is_nxdomain_without_asking_on_a_server_but_asked_of_the_servers_on_a_client()
    {
        Assert.Equal(ReturnCode.NxDomain, Ask(Handler(Options()), "web.service.dc9.consul", RecordType.A).ReturnCode);
        Assert.Empty(_dc2.Asked);

        _dc2.Reply = _ => new RemoteReply(500, Encoding.UTF8.GetBytes("No path to datacenter"));
        Assert.Equal(ReturnCode.NxDomain, Ask(Handler(Options(fromServers: true)), "web.service.dc9.consul", RecordType.A).ReturnCode);
        Assert.Equal("dc9", Assert.Single(_dc2.Asked).Datacenter);
    }

    [Fact]
    public void A_failed_remote_read_is_servfail_and_not_cached()
    {
        var h = Handler(Options());
        _dc2.Reply = _ => throw new InvalidOperationException("no server");
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.dc2.consul", RecordType.A).ReturnCode);
        _dc2.Reply = _ => new RemoteReply(500, Encoding.UTF8.GetBytes("rpc error making call: boom"));
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.dc2.consul", RecordType.A).ReturnCode);
        _dc2.Reply = _ => FakeDc2.Ok(WebInstances);
        Assert.Equal(ReturnCode.NoError, Ask(h, "web.service.dc2.consul", RecordType.A).ReturnCode);
        Assert.Equal(3, _dc2.Asked.Count);
    }

    [Fact]
    public void Remote_views_are_reused_briefly_then_fetched_again()
    {
        var h = Handler(Options());
        Ask(h, "web.service.dc2.consul", RecordType.A);
        Ask(h, "web.service.dc2.consul", RecordType.Srv);
        Assert.Single(_dc2.Asked);
        _time.Advance(TimeSpan.FromSeconds(3));
        Ask(h, "web.service.dc2.consul", RecordType.A);
        Assert.Equal(2, _dc2.Asked.Count);
    }

    [Theory]
    [InlineData("web.service.dc2.consul", RecordType.A, false)]
    [InlineData("_web._tcp.dc2.consul", RecordType.Srv, false)]
    [InlineData("web-a.node.dc2.consul", RecordType.A, false)]
    [InlineData("q1.query.dc2.consul", RecordType.A, false)]
    [InlineData("web.service.consul", RecordType.A, true)]
    [InlineData("web.service.dc1.consul", RecordType.A, true)]
    [InlineData("consul", RecordType.Soa, true)]
    public void Only_local_answers_are_offered_to_the_udp_wire_cache(string name, RecordType type, bool cacheable)
    {
        var bytes = RawDns.Query(7, name, (ushort)type);
        Assert.Equal(cacheable, Handler(Options()).AnswersFromCatalog(new ArraySegment<byte>(bytes)));
    }

    [Fact]
    public void Without_a_way_to_forward_a_known_remote_dc_stays_servfail()
    {
        var h = Handler(Options() with { RemoteFetch = null });
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.dc2.consul", RecordType.A).ReturnCode);
        Assert.Empty(_dc2.Asked);
    }
}
