using ARSoft.Tools.Net.Dns;
using Consul.Core.Acl;
using Consul.Core.Dns;
using Consul.Core.State;
using Consul.Tests.Dns;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.PreparedQueries;

/// <summary>&lt;query&gt;.query[.&lt;dc&gt;].&lt;domain&gt; answered by executing the query.</summary>
public class PreparedQueryDnsTests
{
    private static DnsOptions Defaults => new() { NodeName = "node1", KnownDatacenters = () => ["dc1", "dc2"] };

    private static DnsMessage Ask(DnsCatalog catalog, string name, RecordType type, DnsOptions? options = null)
    {
        options ??= Defaults;
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var handler = new DnsQueryHandler(catalog.Store, new DnsResolver(options, time, new Random(1)), new DnsAnswerCache(time, options.AnswerCacheMaxAge), null);
        return handler.HandleAsync(Query(name, type), false, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static DnsCatalog WithQueries()
    {
        var c = DnsCatalog.Standard();
        c.Apply(new PreparedQueryCommand { Query = new PreparedQuery { ID = "aaaaaaaa-0000-4000-8000-000000000001", Name = "web-q", Service = new ServiceQuery { Service = "web" }, DNS = new QueryDns { TTL = "42s" } } });
        c.Apply(new PreparedQueryCommand { Query = new PreparedQuery { ID = "aaaaaaaa-0000-4000-8000-000000000002", Name = "primary-web", Service = new ServiceQuery { Service = "web", Tags = ["primary"] } } });
        c.Apply(new PreparedQueryCommand
        {
            Query = new PreparedQuery
            {
                ID = "aaaaaaaa-0000-4000-8000-000000000003", Name = "svc-",
                Template = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch },
                Service = new ServiceQuery { Service = "${name.suffix}" },
            },
        });
        c.Apply(new PreparedQueryCommand { Query = new PreparedQuery { ID = "aaaaaaaa-0000-4000-8000-000000000004", Name = "nothing", Service = new ServiceQuery { Service = "none" } } });
        return c;
    }

    [Fact]
    public void Near_agent_answers_nearest_first_from_the_agent_when_coordinates_exist()
    {
        var c = DnsCatalog.Standard();
        c.Apply(new PreparedQueryCommand { Query = new PreparedQuery { ID = "aaaaaaaa-0000-4000-8000-000000000009", Name = "db-q", Service = new ServiceQuery { Service = "db", Near = "_agent" } } });
        // db-i sits 20 - i ms from the agent (node1): db-19 is nearest.
        var updates = Enumerable.Range(0, 20).Select(i => new CoordinateUpdate($"db-{i}", "", Coordinates.CoordinateStateTests.At(20 - i))).ToList();
        updates.Add(new CoordinateUpdate("node1", "", Coordinates.CoordinateStateTests.At(0)));
        c.Apply(new CoordinateBatchCommand { Updates = updates });
        for (var i = 0; i < 5; i++)
        {
            var r = Ask(c, "db-q.query.consul", RecordType.A);
            // udp_answer_limit (3) keeps the three nearest, in order.
            Assert.Equal(["10.2.0.20", "10.2.0.19", "10.2.0.18"], r.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString()).ToList());
        }
        // Without a coordinate for the agent, the instances stay shuffled.
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var options = Defaults with { NodeName = "node2" };
        var handler = new DnsQueryHandler(c.Store, new DnsResolver(options, time, new Random(1)), new DnsAnswerCache(time, options.AnswerCacheMaxAge), null);
        var orders = Enumerable.Range(0, 20)
            .Select(_ => handler.HandleAsync(Query("db-q.query.consul", RecordType.A), false, CancellationToken.None).GetAwaiter().GetResult())
            .Select(r => string.Join(",", r.AnswerRecords.OfType<ARecord>().Select(a => a.Address)))
            .ToHashSet();
        Assert.True(orders.Count > 1);
    }

    [Fact]
    public void A_records_of_healthy_instances_with_the_querys_TTL()
    {
        var r = Ask(WithQueries(), "web-q.query.consul", RecordType.A);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(r));
        Assert.All(r.AnswerRecords, a => Assert.Equal(42, a.TimeToLive));
        Assert.All(r.AnswerRecords, a => Assert.Equal("web-q.query.consul.", a.Name.ToString()));
    }

    [Fact]
    public void By_ID_with_datacenter_and_filtered_by_tags()
    {
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(Ask(WithQueries(), "aaaaaaaa-0000-4000-8000-000000000001.query.dc1.consul", RecordType.A)));
        var tagged = Ask(WithQueries(), "primary-web.query.consul", RecordType.A);
        Assert.Equal(["10.0.0.1"], Addresses(tagged));
        // No query TTL: the service TTL for web applies.
        var withTtl = Ask(WithQueries(), "primary-web.query.consul", RecordType.A,
            Defaults with { ServiceTtl = new Dictionary<string, TimeSpan> { ["web"] = TimeSpan.FromSeconds(9) } });
        Assert.Equal(9, withTtl.AnswerRecords.Single().TimeToLive);
    }

    [Fact]
    public void SRV_answers_name_targets_with_ports()
    {
        var r = Ask(WithQueries(), "web-q.query.consul", RecordType.Srv);
        var srv = r.AnswerRecords.OfType<SrvRecord>().OrderBy(s => s.Port).ToList();
        Assert.Equal([8080, 8081], srv.Select(s => (int)s.Port));
        Assert.Equal("node1.node.dc1.consul.", srv[0].Target.ToString());
        Assert.NotEmpty(r.AdditionalRecords.OfType<ARecord>());
    }

    [Fact]
    public void Templates_answer_by_prefix()
    {
        // svc-db renders to service "db" (20 instances on 10.2.0.x; UDP answers are trimmed).
        var r = Ask(WithQueries(), "svc-db.query.consul", RecordType.A);
        Assert.Equal(ReturnCode.NoError, r.ReturnCode);
        Assert.NotEmpty(Addresses(r));
        Assert.All(Addresses(r), a => Assert.StartsWith("10.2.0.", a));
        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(Ask(WithQueries(), "svc-web.query.consul", RecordType.A)));
    }

    [Fact]
    public void Unknown_queries_empty_results_and_unknown_datacenters_are_NXDOMAIN()
    {
        Assert.Equal(ReturnCode.NxDomain, Ask(WithQueries(), "missing.query.consul", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, Ask(WithQueries(), "nothing.query.consul", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, Ask(WithQueries(), "web-q.query.dc9.consul", RecordType.A).ReturnCode);
        Assert.Equal(ReturnCode.NxDomain, Ask(DnsCatalog.Standard(), "web-q.query.consul", RecordType.A).ReturnCode);
    }

    [Fact]
    public void Results_are_filtered_with_the_querys_own_token_when_it_has_one()
    {
        var c = WithQueries();
        c.Apply(new PreparedQueryCommand { Query = new PreparedQuery { ID = "aaaaaaaa-0000-4000-8000-000000000005", Name = "tokened", Token = "t-secret", Service = new ServiceQuery { Service = "web" } } });
        var nothing = DnsAccess.For(new Authorizer(StaticAuthorizer.DenyAll, "x"));
        var everything = DnsAccess.Unrestricted;
        var options = Defaults with { Access = () => nothing, QueryTokenAccess = t => t == "t-secret" ? everything : DnsAccess.NotFound };
        Assert.Equal(2, Addresses(Ask(c, "tokened.query.consul", RecordType.A, options)).Count);
        // Without a stored token the DNS token decides: it may read nothing.
        Assert.Equal(ReturnCode.NxDomain, Ask(c, "web-q.query.consul", RecordType.A, options).ReturnCode);
        var unknown = options with { QueryTokenAccess = _ => DnsAccess.NotFound };
        Assert.Equal(ReturnCode.ServerFailure, Ask(c, "tokened.query.consul", RecordType.A, unknown).ReturnCode);
    }
}
