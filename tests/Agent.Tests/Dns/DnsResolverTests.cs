using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Dns;
using Consul.Core.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.Dns;

/// <summary>Lookups through <see cref="DnsQueryHandler"/> without sockets.</summary>
public class DnsResolverTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static DnsOptions Defaults => new() { NodeName = "node1", KnownDatacenters = () => ["dc1", "dc2"] };

    private static DnsQueryHandler Handler(DnsCatalog catalog, DnsOptions? options = null, FakeTimeProvider? time = null, int seed = 1)
    {
        options ??= Defaults;
        time ??= new FakeTimeProvider(Now);
        var recursor = options.Recursors.Count > 0 ? new Recursor(options.Recursors, options.RecursorTimeout, NullLogger.Instance) : null;
        return new DnsQueryHandler(catalog.Store, new DnsResolver(options, time, new Random(seed)),
            new DnsAnswerCache(time, options.AnswerCacheMaxAge), recursor);
    }

    private static DnsMessage Ask(DnsQueryHandler handler, string name, RecordType type, bool tcp = false, ushort? edns = null) =>
        handler.HandleAsync(Query(name, type, edns), tcp, CancellationToken.None).GetAwaiter().GetResult();

    private static SoaRecord AuthoritySoa(DnsMessage m) => Assert.IsType<SoaRecord>(Assert.Single(m.AuthorityRecords));

    [Fact]
    public void ServiceA_ReturnsHealthyInstances_ServiceAddressBeforeNodeAddress()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "web.service.consul", RecordType.A);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.True(r.IsAuthoritiveAnswer);
        Assert.False(r.IsRecursionAllowed);
        // node3 is critical; node2 (warning) answers with its service address.
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(r));
        Assert.All(r.AnswerRecords, a => Assert.Equal("web.service.consul.", a.Name.ToString()));
        Assert.All(r.AnswerRecords, a => Assert.Equal(0, a.TimeToLive));
    }

    [Fact]
    public void OnlyPassing_ExcludesWarning()
    {
        var r = Ask(Handler(DnsCatalog.Standard(), Defaults with { OnlyPassing = true }), "web.service.consul", RecordType.A);
        Assert.Equal(["10.0.0.1"], Addresses(r));
    }

    [Fact]
    public void NodeLevelCriticalCheck_ExcludesEveryServiceOnTheNode()
    {
        var catalog = DnsCatalog.Standard().NodeCheck("node1", "serfHealth", HealthStatus.Critical);
        var r = Ask(Handler(catalog), "web.service.consul", RecordType.A);
        Assert.Equal(["10.1.0.2"], Addresses(r));
    }

    [Fact]
    public void TagLookups_FilterByTag_IgnoringCase()
    {
        var h = Handler(DnsCatalog.Standard());
        Assert.Equal(["10.0.0.1"], Addresses(Ask(h, "PRIMARY.web.service.consul", RecordType.A)));
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(Ask(h, "v1.web.service.consul", RecordType.A)));
        var none = Ask(h, "nosuchtag.web.service.consul", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, none.ReturnCode);
        AuthoritySoa(none);
    }

    [Fact]
    public void Srv_TargetsNodeNameOrHexAddr_WithAddressAndMetaInAdditional()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "web.service.consul", RecordType.Srv, tcp: true);
        var srvs = r.AnswerRecords.Cast<SrvRecord>().OrderBy(s => s.Port).ToList();
        Assert.Equal(2, srvs.Count);
        Assert.Equal("node1.node.dc1.consul.", srvs[0].Target.ToString());
        Assert.Equal(8080, srvs[0].Port);
        Assert.Equal(1, srvs[0].Priority);
        Assert.Equal(10, srvs[0].Weight); // passing weight
        Assert.Equal("0a010002.addr.dc1.consul.", srvs[1].Target.ToString());
        Assert.Equal(2, srvs[1].Weight); // warning weight
        var extraA = r.AdditionalRecords.OfType<ARecord>().ToDictionary(a => a.Name.ToString(), a => a.Address.ToString());
        Assert.Equal("10.0.0.1", extraA["node1.node.dc1.consul."]);
        Assert.Equal("10.1.0.2", extraA["0a010002.addr.dc1.consul."]);
        var txt = r.AdditionalRecords.OfType<TxtRecord>().Where(t => t.Name.ToString() == "node1.node.dc1.consul.").Select(t => t.TextData).Order().ToList();
        Assert.Equal(["rack=r1", "v=spf1 -all"], txt);
    }

    [Fact]
    public void Srv_WithoutNodeMetaTxt_WhenDisabled()
    {
        var r = Ask(Handler(DnsCatalog.Standard(), Defaults with { EnableAdditionalNodeMetaTxt = false }), "web.service.consul", RecordType.Srv, tcp: true);
        Assert.Empty(r.AdditionalRecords.OfType<TxtRecord>());
    }

    [Theory]
    [InlineData("_web._tcp.service.consul", 2)]
    [InlineData("_web._primary.service.consul", 1)]
    [InlineData("_web._tcp.consul", 2)] // ".service" is optional for RFC 2782 SRV names
    [InlineData("_web._tcp.service.dc1.consul", 2)]
    public void Rfc2782Names(string name, int expected)
    {
        var r = Ask(Handler(DnsCatalog.Standard()), name, RecordType.Srv);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.Equal(expected, r.AnswerRecords.OfType<SrvRecord>().Count());
    }

    [Fact]
    public void Ipv6Instances_AnswerAaaa_AndNoDataForA()
    {
        var h = Handler(DnsCatalog.Standard());
        Assert.Equal(["fd00::6"], Addresses(Ask(h, "api.service.consul", RecordType.Aaaa)));
        var a = Ask(h, "api.service.consul", RecordType.A);
        Assert.Equal(ReturnCode.NoError, a.ReturnCode);
        Assert.Empty(a.AnswerRecords);
        AuthoritySoa(a);
        var srv = Ask(h, "api.service.consul", RecordType.Srv);
        Assert.Equal("fd00::6", Assert.Single(srv.AdditionalRecords.OfType<AaaaRecord>()).Address.ToString());
    }

    [Fact]
    public void DualStackNodes_AnswerFromLanTaggedAddresses()
    {
        var catalog = new DnsCatalog()
            .Node("dual", "10.0.0.50", tagged: new() { ["lan"] = "10.0.0.50", ["lan_ipv4"] = "10.0.0.50", ["lan_ipv6"] = "fd00::50" });
        catalog.Service("dual", "10.0.0.50", new NodeService { ID = "svc", Service = "svc", Port = 80 });
        catalog.Service("dual", "10.0.0.50", new NodeService
        {
            ID = "tagged", Service = "tagged", Port = 81, Address = "10.5.0.1",
            TaggedAddresses = new() { ["lan_ipv6"] = new ServiceAddress { Address = "fd00::51", Port = 81 } },
        });
        var h = Handler(catalog);
        Assert.Equal(["10.0.0.50"], Addresses(Ask(h, "svc.service.consul", RecordType.A)));
        Assert.Equal(["fd00::50"], Addresses(Ask(h, "svc.service.consul", RecordType.Aaaa)));
        Assert.Equal(["fd00::50"], Addresses(Ask(h, "dual.node.consul", RecordType.Aaaa)));
        Assert.Equal(["10.0.0.50"], Addresses(Ask(h, "dual.node.consul", RecordType.A)));
        Assert.Equal(["10.5.0.1"], Addresses(Ask(h, "tagged.service.consul", RecordType.A)));
        Assert.Equal(["fd00::51"], Addresses(Ask(h, "tagged.service.consul", RecordType.Aaaa)));

        // SRV accepts either family and prefers IPv6; a translated address is named by its hex form.
        var srv = Ask(h, "svc.service.consul", RecordType.Srv);
        Assert.Equal("fd000000000000000000000000000050.addr.dc1.consul.", Assert.IsType<SrvRecord>(Assert.Single(srv.AnswerRecords)).Target.ToString());
        Assert.Equal("fd00::50", Assert.Single(srv.AdditionalRecords.OfType<AaaaRecord>()).Address.ToString());
    }

    [Fact]
    public void CnamesIntoTheConsulDomain_AreChased()
    {
        var catalog = DnsCatalog.Standard().Node("alias", "10.0.0.60");
        catalog.Service("alias", "10.0.0.60", new NodeService { ID = "aliased", Service = "aliased", Port = 1, Address = "web.service.consul" });
        catalog.Service("alias", "10.0.0.60", new NodeService { ID = "ping", Service = "ping", Port = 2, Address = "pong.service.consul" });
        catalog.Service("alias", "10.0.0.60", new NodeService { ID = "pong", Service = "pong", Port = 3, Address = "ping.service.consul" });
        var h = Handler(catalog, Defaults with { ServiceTtl = new Dictionary<string, TimeSpan> { ["aliased"] = TimeSpan.FromSeconds(12) } });

        var r = Ask(h, "aliased.service.consul", RecordType.A, tcp: true);
        Assert.Equal("web.service.consul.", Assert.IsType<CNameRecord>(r.AnswerRecords[0]).CanonicalName.ToString());
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(r));
        Assert.All(r.AnswerRecords, a => Assert.Equal(12, a.TimeToLive));

        // A CNAME loop stops after three levels instead of recursing forever.
        var loop = Ask(h, "ping.service.consul", RecordType.A, tcp: true);
        Assert.Equal(ReturnCode.NoError, loop.ReturnCode);
        Assert.All(loop.AnswerRecords, a => Assert.IsType<CNameRecord>(a));
        Assert.InRange(loop.AnswerRecords.Count, 2, 6);
    }

    [Fact]
    public void ServiceOnHostNameNode_AnswersCname()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "ext.service.consul", RecordType.A);
        var cname = Assert.IsType<CNameRecord>(Assert.Single(r.AnswerRecords));
        Assert.Equal("example.org.", cname.CanonicalName.ToString());
        var srv = Assert.IsType<SrvRecord>(Assert.Single(Ask(Handler(DnsCatalog.Standard()), "ext.service.consul", RecordType.Srv).AnswerRecords));
        Assert.Equal("example.org.", srv.Target.ToString());
    }

    [Fact]
    public void UnknownService_IsNxDomainWithSoa()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "nope.service.consul", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, r.ReturnCode);
        var soa = AuthoritySoa(r);
        Assert.Equal("consul.", soa.Name.ToString());
        Assert.Equal("ns.consul.", soa.MasterName.ToString());
        Assert.Equal("hostmaster.consul.", soa.ResponsibleName.ToString());
        Assert.Equal((uint)Now.ToUnixTimeSeconds(), soa.SerialNumber);
        Assert.Equal(3600, soa.RefreshInterval);
        Assert.Equal(600, soa.RetryInterval);
        Assert.Equal(86400, soa.ExpireInterval);
        Assert.Equal(0, soa.NegativeCachingTTL);
    }

    [Fact]
    public void SoaSettings_AreUsed()
    {
        var options = Defaults with { Soa = new DnsSoaOptions { Expire = 1, MinTtl = 2, Refresh = 3, Retry = 4 } };
        var soa = AuthoritySoa(Ask(Handler(DnsCatalog.Standard(), options), "nope.service.consul", RecordType.A));
        Assert.Equal((1, 2, 3, 4, 2), (soa.ExpireInterval, soa.NegativeCachingTTL, soa.RefreshInterval, soa.RetryInterval, soa.TimeToLive));
    }

    [Theory]
    [InlineData("consul", RecordType.Soa)]
    [InlineData("web.service.consul", RecordType.Soa)]
    public void SoaQuestion_AnswersSoa_WithNameServersInAuthority(string name, RecordType type)
    {
        var r = Ask(Handler(DnsCatalog.Standard()), name, type);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.IsType<SoaRecord>(Assert.Single(r.AnswerRecords));
        var ns = Assert.IsType<NsRecord>(Assert.Single(r.AuthorityRecords));
        Assert.Equal("node1.node.dc1.consul.", ns.NameServer.ToString());
        Assert.Equal("10.0.0.1", Assert.Single(r.AdditionalRecords.OfType<ARecord>()).Address.ToString());
    }

    [Fact]
    public void NsQuestion_ListsConsulServers()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "consul", RecordType.Ns);
        var ns = Assert.IsType<NsRecord>(Assert.Single(r.AnswerRecords));
        Assert.Equal("consul.", ns.Name.ToString());
        Assert.Equal("node1.node.dc1.consul.", ns.NameServer.ToString());
        Assert.Single(r.AdditionalRecords.OfType<ARecord>());
    }

    [Fact]
    public void ConsulService_ResolvesOnceRegistered()
    {
        var without = new DnsCatalog().Node("n", "10.9.9.9");
        Assert.Equal(ReturnCode.NxDomain, Ask(Handler(without), "consul.service.consul", RecordType.A).ReturnCode);
        Assert.Equal(["10.0.0.1"], Addresses(Ask(Handler(DnsCatalog.Standard()), "consul.service.consul", RecordType.A)));
    }

    [Fact]
    public void NodeLookups_AddressAndMeta()
    {
        var h = Handler(DnsCatalog.Standard());
        var a = Ask(h, "node1.node.consul", RecordType.A);
        Assert.Equal(["10.0.0.1"], Addresses(a));
        Assert.Equal(2, a.AdditionalRecords.OfType<TxtRecord>().Count()); // enable_additional_node_meta_txt
        Assert.Equal(["10.0.0.1"], Addresses(Ask(h, "node1.node.dc1.consul", RecordType.A)));
        Assert.Equal(["10.0.0.1"], Addresses(Ask(h, "node1.node.dc1.dc.consul", RecordType.A)));

        var txt = Ask(h, "node1.node.consul", RecordType.Txt);
        Assert.Equal(["rack=r1", "v=spf1 -all"], txt.AnswerRecords.Cast<TxtRecord>().Select(t => t.TextData).Order().ToList());

        var any = Ask(h, "node1.node.consul", RecordType.Any);
        Assert.Single(any.AnswerRecords.OfType<ARecord>());
        Assert.Equal(2, any.AnswerRecords.OfType<TxtRecord>().Count());

        Assert.Equal(["fd00::6"], Addresses(Ask(h, "node6.node.consul", RecordType.Aaaa)));
        Assert.Equal("example.org.", Assert.IsType<CNameRecord>(Assert.Single(Ask(h, "ext.node.consul", RecordType.A).AnswerRecords)).CanonicalName.ToString());
    }

    [Theory]
    [InlineData("node1.node.consul", RecordType.Aaaa)] // IPv4 node
    [InlineData("node1.node.consul", RecordType.Mx)]
    [InlineData("node1.node.consul", RecordType.Srv)]
    [InlineData("web.service.consul", RecordType.Mx)]
    public void ExistingNameOfOtherType_IsNoDataWithSoa(string name, RecordType type)
    {
        var r = Ask(Handler(DnsCatalog.Standard()), name, type);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.Empty(r.AnswerRecords);
        AuthoritySoa(r);
    }

    [Theory]
    [InlineData("missing.node.consul")]
    [InlineData("node1.node.nodc.consul")]
    [InlineData("foo.consul")]
    [InlineData("consul")]
    [InlineData("node1.node.a.b.c.consul")]
    [InlineData("web.service.nodc.consul")]
    [InlineData("xyz.addr.consul")]
    [InlineData("q.query.consul")]
    public void UnknownNamesInDomain_AreNxDomain(string name)
    {
        var r = Ask(Handler(DnsCatalog.Standard()), name, RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, r.ReturnCode);
        AuthoritySoa(r);
    }

    [Fact]
    public void KnownRemoteDatacenter_IsServFail()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "web.service.dc2.consul", RecordType.A);
        Assert.Equal(ReturnCode.ServerFailure, r.ReturnCode);
    }

    [Fact]
    public void AddrLookups_DecodeHex()
    {
        var h = Handler(DnsCatalog.Standard());
        Assert.Equal(["10.1.0.2"], Addresses(Ask(h, "0a010002.addr.dc1.consul", RecordType.A)));
        Assert.Equal(["fd00::6"], Addresses(Ask(h, "fd000000000000000000000000000006.addr.dc1.consul", RecordType.Aaaa)));
        var other = Ask(h, "0a010002.addr.dc1.consul", RecordType.Aaaa);
        Assert.Empty(other.AnswerRecords);
        Assert.Single(other.AdditionalRecords.OfType<ARecord>());
    }

    [Fact]
    public void Ptr_ForNodeAndServiceAddresses()
    {
        var h = Handler(DnsCatalog.Standard());
        var node = Ask(h, "1.0.0.10.in-addr.arpa", RecordType.Ptr);
        Assert.Equal("node1.node.dc1.consul.", Assert.IsType<PtrRecord>(Assert.Single(node.AnswerRecords)).PointerDomainName.ToString());
        var svc = Ask(h, "2.0.1.10.in-addr.arpa", RecordType.Ptr);
        Assert.Equal("web.service.dc1.consul.", Assert.IsType<PtrRecord>(Assert.Single(svc.AnswerRecords)).PointerDomainName.ToString());
        var v6 = Ask(h, "6.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa", RecordType.Ptr);
        Assert.Equal("node6.node.dc1.consul.", Assert.IsType<PtrRecord>(Assert.Single(v6.AnswerRecords)).PointerDomainName.ToString());
        // Unknown addresses are recursed; without recursors that fails as in Consul.
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "9.9.9.9.in-addr.arpa", RecordType.Ptr).ReturnCode);
    }

    [Fact]
    public void NamesOutsideDomain_AreRefusedWithoutRecursors()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "example.com", RecordType.A);
        Assert.Equal(ReturnCode.Refused, r.ReturnCode);
        Assert.False(r.IsAuthoritiveAnswer);
    }

    [Fact]
    public void QueryCase_IsPreserved()
    {
        var r = Ask(Handler(DnsCatalog.Standard()), "WeB.SerVice.CONSUL", RecordType.Srv);
        Assert.Equal("WeB.SerVice.CONSUL.", r.Questions[0].Name.ToString());
        Assert.All(r.AnswerRecords, a => Assert.Equal("WeB.SerVice.CONSUL.", a.Name.ToString()));
        Assert.Contains(r.AnswerRecords.Cast<SrvRecord>(), s => s.Target.ToString() == "node1.node.dc1.CONSUL.");
    }

    [Fact]
    public void IdQuestionAndEdnsSize_AreEchoed()
    {
        var h = Handler(DnsCatalog.Standard());
        var r = h.HandleAsync(Query("web.service.consul", RecordType.A, ednsSize: 1232, id: 0xBEEF), false, CancellationToken.None).GetAwaiter().GetResult();
        Assert.Equal(0xBEEF, r.TransactionID);
        Assert.Equal("web.service.consul.", Assert.Single(r.Questions).Name.ToString());
        Assert.True(r.IsEDnsEnabled);
        Assert.Equal(1232, r.EDnsOptions!.UdpPayloadSize);
        Assert.False(Ask(h, "web.service.consul", RecordType.A).IsEDnsEnabled);
    }

    [Fact]
    public void ClientSubnet_IsEchoedWithScopeZero()
    {
        var query = Query("web.service.consul", RecordType.A, ednsSize: 1232);
        query.EDnsOptions!.Options.Add(new ClientSubnetOption(24, System.Net.IPAddress.Parse("192.0.2.0")));
        var r = Handler(DnsCatalog.Standard()).HandleAsync(query, false, CancellationToken.None).GetAwaiter().GetResult();
        var ecs = Assert.Single(r.EDnsOptions!.Options.OfType<ClientSubnetOption>());
        Assert.Equal((24, 0, "192.0.2.0"), (ecs.SourceNetmask, ecs.ScopeNetmask, ecs.Address.ToString()));
        Assert.Equal(2, r.AnswerRecords.Count);
    }

    [Fact]
    public void AltDomain_AnswersWithItsOwnSoa()
    {
        var h = Handler(DnsCatalog.Standard(), Defaults with { AltDomain = "cluster.local." });
        var r = Ask(h, "web.service.cluster.local", RecordType.Srv);
        Assert.Contains(r.AnswerRecords.Cast<SrvRecord>(), s => s.Target.ToString() == "node1.node.dc1.cluster.local.");
        Assert.Equal("cluster.local.", AuthoritySoa(Ask(h, "nope.service.cluster.local", RecordType.A)).Name.ToString());
    }

    [Fact]
    public void Ttls_FromNodeTtlAndServiceTtl()
    {
        var options = Defaults with
        {
            NodeTtl = TimeSpan.FromSeconds(10),
            ServiceTtl = new Dictionary<string, TimeSpan> { ["web"] = TimeSpan.FromSeconds(30), ["d*"] = TimeSpan.FromSeconds(7), ["*"] = TimeSpan.FromSeconds(5) },
        };
        var h = Handler(DnsCatalog.Standard(), options);
        Assert.All(Ask(h, "web.service.consul", RecordType.A).AnswerRecords, a => Assert.Equal(30, a.TimeToLive));
        Assert.All(Ask(h, "db.service.consul", RecordType.A, tcp: true).AnswerRecords, a => Assert.Equal(7, a.TimeToLive));
        Assert.All(Ask(h, "api.service.consul", RecordType.Aaaa).AnswerRecords, a => Assert.Equal(5, a.TimeToLive));
        Assert.All(Ask(h, "node1.node.consul", RecordType.A).AnswerRecords, a => Assert.Equal(10, a.TimeToLive));
    }

    [Fact]
    public void ARecordLimit_CapsAddressAnswers()
    {
        var r = Ask(Handler(DnsCatalog.Standard(), Defaults with { ARecordLimit = 2 }), "db.service.consul", RecordType.A, tcp: true);
        Assert.Equal(2, r.AnswerRecords.Count);
    }

    [Fact]
    public void UdpAnswerLimit_WithoutEdns_AndTruncateFlag()
    {
        var plain = Ask(Handler(DnsCatalog.Standard()), "db.service.consul", RecordType.A);
        Assert.Equal(3, plain.AnswerRecords.Count);
        Assert.False(plain.IsTruncated);

        var truncating = Ask(Handler(DnsCatalog.Standard(), Defaults with { EnableTruncate = true }), "db.service.consul", RecordType.A);
        Assert.Equal(3, truncating.AnswerRecords.Count);
        Assert.True(truncating.IsTruncated);

        var five = Ask(Handler(DnsCatalog.Standard(), Defaults with { UdpAnswerLimit = 5 }), "db.service.consul", RecordType.A);
        Assert.Equal(5, five.AnswerRecords.Count);
        // Consul never returns more than 8 answers to a non-EDNS UDP query.
        var capped = Ask(Handler(DnsCatalog.Standard(), Defaults with { UdpAnswerLimit = 50 }), "db.service.consul", RecordType.A);
        Assert.Equal(8, capped.AnswerRecords.Count);
    }

    [Fact]
    public void Edns_AllowsLargerUdpAnswers_AndTcpGetsAll()
    {
        var h = Handler(DnsCatalog.Standard(), Defaults with { EnableTruncate = true });
        var edns = Ask(h, "db.service.consul", RecordType.A, edns: 4096);
        Assert.Equal(20, edns.AnswerRecords.Count);
        Assert.False(edns.IsTruncated);
        var tcp = Ask(h, "db.service.consul", RecordType.Srv, tcp: true);
        Assert.Equal(20, tcp.AnswerRecords.Count);
        Assert.Equal(20, tcp.AdditionalRecords.OfType<ARecord>().Count());
    }

    [Fact]
    public void UdpSrv_TrimsToFit512_KeepingExtrasForRemainingTargets()
    {
        var r = Ask(Handler(DnsCatalog.Standard(), Defaults with { EnableTruncate = true, UdpAnswerLimit = 8 }), "db.service.consul", RecordType.Srv);
        Assert.True(r.IsTruncated);
        Assert.InRange(r.AnswerRecords.Count, 1, 8);
        Assert.True(WireSizeOf(r) <= 512);
        var targets = r.AnswerRecords.Cast<SrvRecord>().Select(s => s.Target.ToString()).ToHashSet();
        Assert.All(r.AdditionalRecords, x => Assert.Contains(x.Name.ToString(), targets));
        Assert.Equal(targets.Count, r.AdditionalRecords.OfType<ARecord>().Count());
    }

    private static int WireSizeOf(DnsMessage m) =>
        12 + m.Questions.Sum(q => q.Name.ToString().Length + 1 + 4) + m.AnswerRecords.Concat(m.AuthorityRecords).Concat(m.AdditionalRecords)
            .Sum(r => r.Name.ToString().Length + 1 + 10 + r switch
            {
                ARecord => 4,
                AaaaRecord => 16,
                SrvRecord s => 6 + s.Target.ToString().Length + 1,
                _ => 0,
            });

    [Fact]
    public void Shuffle_VariesOrderAcrossQueries()
    {
        var h = Handler(DnsCatalog.Standard(), seed: 7);
        var orders = Enumerable.Range(0, 20)
            .Select(_ => string.Join(",", Ask(h, "db.service.consul", RecordType.A, tcp: true).AnswerRecords.Cast<ARecord>().Select(a => a.Address)))
            .ToHashSet();
        Assert.True(orders.Count > 1, "answers were never shuffled");
    }

    [Fact]
    public void Cache_ServesBursts_AndFollowsCatalogChanges()
    {
        var catalog = DnsCatalog.Standard();
        var h = Handler(catalog);
        for (var i = 0; i < 100; i++) Ask(h, "web.service.consul", RecordType.A);
        Assert.Equal(1, h.Cache.Count);

        catalog.Node("node9", "10.0.0.9").Service("node9", "10.0.0.9", new NodeService { ID = "web9", Service = "web", Port = 1 });
        Assert.Equal(["10.0.0.1", "10.0.0.9", "10.1.0.2"], Addresses(Ask(h, "web.service.consul", RecordType.A)));
        Assert.Equal(1, h.Cache.Count);
    }

    [Fact]
    public void Cache_EntriesExpireAfterMaxAge()
    {
        var known = new List<string> { "dc1" };
        var time = new FakeTimeProvider(Now);
        var h = Handler(DnsCatalog.Standard(), Defaults with { KnownDatacenters = () => known.ToList() }, time);
        Assert.Equal(ReturnCode.NxDomain, Ask(h, "web.service.dc3.consul", RecordType.A).ReturnCode);
        known.Add("dc3");
        Assert.Equal(ReturnCode.NxDomain, Ask(h, "web.service.dc3.consul", RecordType.A).ReturnCode); // cached
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.dc3.consul", RecordType.A).ReturnCode);
    }

    [Fact]
    public void OtherOpcodes_AreNotImplemented_AndBadQuestionCounts_FormErr()
    {
        var h = Handler(DnsCatalog.Standard());
        var notify = Query("web.service.consul", RecordType.A);
        notify.OperationCode = OperationCode.Notify;
        Assert.Equal(ReturnCode.NotImplemented, h.HandleAsync(notify, false, CancellationToken.None).GetAwaiter().GetResult().ReturnCode);
        var two = Query("web.service.consul", RecordType.A);
        two.Questions.Add(new DnsQuestion(DomainName.Parse("db.service.consul"), RecordType.A, RecordClass.INet));
        Assert.Equal(ReturnCode.FormatError, h.HandleAsync(two, false, CancellationToken.None).GetAwaiter().GetResult().ReturnCode);
        Assert.Equal(ReturnCode.NotImplemented, Ask(h, "consul", RecordType.Axfr).ReturnCode);
    }
}
