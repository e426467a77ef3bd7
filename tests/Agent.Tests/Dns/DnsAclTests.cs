using ARSoft.Tools.Net.Dns;
using Consul.Core.Acl;
using Consul.Core.Dns;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.Dns;

/// <summary>
/// What DNS reveals under a DNS token (Consul filters DNS results as the catalog and health
/// RPCs do): instances need node:read and service:read, nodes node:read; an unresolvable
/// token fails lookups. Answers are cached per permissions, so a change applies at once.
/// </summary>
public class DnsAclTests
{
    private const string ReadAll = """node_prefix "" { policy = "read" } service_prefix "" { policy = "read" }""";

    /// <summary>The permissions the next query sees; tests replace it between queries.</summary>
    private DnsAccess _access = DnsAccess.Unrestricted;

    private DnsQueryHandler Handler(DnsCatalog? catalog = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var options = new DnsOptions { NodeName = "node1", Access = () => _access };
        return new DnsQueryHandler((catalog ?? DnsCatalog.Standard()).Store, new DnsResolver(options, time, new Random(1)),
            new DnsAnswerCache(time, options.AnswerCacheMaxAge), null);
    }

    /// <summary>An authorizer from rules over default deny, as a token with one policy gets.</summary>
    private static Authorizer Rules(string rules) =>
        new(new ChainedAuthorizer([new PolicyAuthorizer(PolicyParser.Parse(rules)), StaticAuthorizer.DenyAll]), "acc");

    private void Allow(string rules) => _access = DnsAccess.For(Rules(rules));

    private static DnsMessage Ask(DnsQueryHandler h, string name, RecordType type) =>
        h.HandleAsync(Query(name, type), false, CancellationToken.None).GetAwaiter().GetResult();

    private static string? PtrTarget(DnsMessage m) => m.AnswerRecords.OfType<PtrRecord>().SingleOrDefault()?.PointerDomainName.ToString();

    [Fact]
    public void ServiceLookup_NeedsServiceRead()
    {
        var h = Handler();
        Allow("""node_prefix "" { policy = "read" } service "web" { policy = "read" }""");
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(Ask(h, "web.service.consul", RecordType.A)));
        var api = Ask(h, "api.service.consul", RecordType.Aaaa);
        Assert.Equal(ReturnCode.NxDomain, api.ReturnCode);
        Assert.Empty(api.AnswerRecords);
        Assert.IsType<SoaRecord>(Assert.Single(api.AuthorityRecords));
    }

    [Fact]
    public void ServiceLookup_DropsInstancesOnNodesWithoutNodeRead()
    {
        var h = Handler();
        Allow("""service_prefix "" { policy = "read" } node "node2" { policy = "read" }""");
        Assert.Equal(["10.1.0.2"], Addresses(Ask(h, "web.service.consul", RecordType.A)));
        var srv = Ask(h, "_web._tcp.service.consul", RecordType.Srv);
        // web2 (on node2) has its own address, named by its hex form.
        Assert.Equal("0a010002.addr.dc1.consul.", Assert.Single(srv.AnswerRecords.OfType<SrvRecord>()).Target.ToString());
        // Service read without any node read: nothing.
        Allow("""service_prefix "" { policy = "read" }""");
        Assert.Equal(ReturnCode.NxDomain, Ask(h, "web.service.consul", RecordType.A).ReturnCode);
    }

    [Fact]
    public void NodeLookup_NeedsNodeRead()
    {
        var h = Handler();
        Allow("""node "node1" { policy = "read" }""");
        Assert.Equal(["10.0.0.1"], Addresses(Ask(h, "node1.node.consul", RecordType.A)));
        var hidden = Ask(h, "node2.node.consul", RecordType.A);
        Assert.Equal(ReturnCode.NxDomain, hidden.ReturnCode);
        Assert.Empty(hidden.AnswerRecords);
        // Other types of a hidden node do not reveal that it exists either.
        Assert.Equal(ReturnCode.NxDomain, Ask(h, "node2.node.consul", RecordType.Mx).ReturnCode);
        Assert.Equal(ReturnCode.NoError, Ask(h, "node1.node.consul", RecordType.Mx).ReturnCode);
    }

    [Fact]
    public void Ptr_FindsOnlyReadableNodesAndServices()
    {
        var h = Handler();
        _access = DnsAccess.For(Rules(""));
        var unknown = Ask(h, "9.9.9.9.in-addr.arpa", RecordType.Ptr).ReturnCode;
        Assert.Null(PtrTarget(Ask(h, "1.0.0.10.in-addr.arpa", RecordType.Ptr)));
        Assert.Equal(unknown, Ask(h, "1.0.0.10.in-addr.arpa", RecordType.Ptr).ReturnCode);

        Allow("""node "node1" { policy = "read" }""");
        Assert.Equal("node1.node.dc1.consul.", PtrTarget(Ask(h, "1.0.0.10.in-addr.arpa", RecordType.Ptr)));
        // web2's own address: needs node:read on node2 and service:read on web.
        Assert.Null(PtrTarget(Ask(h, "2.0.1.10.in-addr.arpa", RecordType.Ptr)));
        Allow("""node "node2" { policy = "read" } service "web" { policy = "read" }""");
        Assert.Equal("web.service.dc1.consul.", PtrTarget(Ask(h, "2.0.1.10.in-addr.arpa", RecordType.Ptr)));
    }

    [Fact]
    public void NameServers_AreTheReadableConsulInstances()
    {
        var h = Handler();
        Allow(ReadAll);
        Assert.Single(Ask(h, "consul", RecordType.Ns).AnswerRecords.OfType<NsRecord>());
        Allow("""node_prefix "" { policy = "read" }""");
        var ns = Ask(h, "consul", RecordType.Ns);
        Assert.Equal(ReturnCode.NoError, ns.ReturnCode);
        Assert.Empty(ns.AnswerRecords.OfType<NsRecord>());
        var soa = Ask(h, "consul", RecordType.Soa);
        Assert.IsType<SoaRecord>(Assert.Single(soa.AnswerRecords));
        Assert.Empty(soa.AuthorityRecords);
    }

    [Fact]
    public void AddrLookups_NeedNoPermission()
    {
        var h = Handler();
        _access = DnsAccess.For(Rules(""));
        Assert.Equal(["10.0.0.1"], Addresses(Ask(h, "0a000001.addr.dc1.consul", RecordType.A)));
    }

    [Fact]
    public void UnresolvableToken_FailsLookups()
    {
        var h = Handler();
        _access = DnsAccess.NotFound;
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.consul", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "_web._tcp.service.consul", RecordType.Srv).ReturnCode);
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "node1.node.consul", RecordType.A).ReturnCode);
        Assert.Null(PtrTarget(Ask(h, "1.0.0.10.in-addr.arpa", RecordType.Ptr)));
        Assert.Empty(Ask(h, "consul", RecordType.Ns).AnswerRecords);
    }

    [Fact]
    public void CachedAnswers_FollowPermissionChanges_WithoutACatalogChange()
    {
        var h = Handler();
        Allow(ReadAll);
        Assert.Equal(2, Addresses(Ask(h, "web.service.consul", RecordType.A)).Count);
        _access = DnsAccess.For(Rules(""));
        Assert.Equal(ReturnCode.NxDomain, Ask(h, "web.service.consul", RecordType.A).ReturnCode);
        _access = DnsAccess.NotFound;
        Assert.Equal(ReturnCode.ServerFailure, Ask(h, "web.service.consul", RecordType.A).ReturnCode);
        _access = DnsAccess.Unrestricted;
        Assert.Equal(2, Addresses(Ask(h, "web.service.consul", RecordType.A)).Count);
    }

    [Fact]
    public void Cache_IsSharedByAuthorizersWithTheSamePolicies()
    {
        var h = Handler();
        var compiled = new ChainedAuthorizer([new PolicyAuthorizer(PolicyParser.Parse(ReadAll)), StaticAuthorizer.DenyAll]);
        _access = DnsAccess.For(new Authorizer(compiled, "token-a"));
        Ask(h, "web.service.consul", RecordType.A);
        _access = DnsAccess.For(new Authorizer(compiled, "token-b"));
        Ask(h, "api.service.consul", RecordType.Aaaa);
        Assert.Equal(2, h.Cache.Count);
    }
}
