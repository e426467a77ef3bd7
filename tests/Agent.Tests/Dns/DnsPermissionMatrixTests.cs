using ARSoft.Tools.Net.Dns;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Consul.Core.Acl;
using Consul.Core.Dns;
using Consul.Core.State;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.Dns;

/// <summary>
/// Every DNS lookup form against every kind of DNS token (acl.tokens.dns), under default_policy
/// deny and allow, through the agent's real path: AclGate resolves the token from the ACL tables
/// in the state, DnsService turns it into the DNS access. What each caller may see is written out
/// by hand below (not asked of the product's authorizer).
/// </summary>
public sealed class DnsPermissionMatrixTests
{
    public enum Caller { None, ReadOnly, Prefix, Management, Unknown }

    private const string AnonymousPolicy = """service "api" { policy = "read" } node "node6" { policy = "read" }""";
    private const string PrefixPolicy = """
        service_prefix "web" { policy = "read" }
        node_prefix "node" { policy = "read" }
        service "db" { policy = "deny" }
        """;

    /// <summary>The hand-written oracle: may this caller read the service / node under the default policy?</summary>
    private static bool CanService(Caller c, bool allow, string service) => c switch
    {
        Caller.Management or Caller.ReadOnly => true,
        Caller.Prefix => service != "db" && (service.StartsWith("web", StringComparison.Ordinal) || allow),
        Caller.None => service == "api" || allow,
        _ => false,
    };

    private static bool CanNode(Caller c, bool allow, string node) => c switch
    {
        Caller.Management or Caller.ReadOnly => true,
        Caller.Prefix => node.StartsWith("node", StringComparison.Ordinal) || allow,
        Caller.None => node == "node6" || allow,
        _ => false,
    };

    public static IEnumerable<object[]> Cases() =>
        from policy in new[] { "deny", "allow" }
        from caller in Enum.GetValues<Caller>()
        select new object[] { policy, caller };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_lookup_form_reveals_exactly_what_the_dns_token_may_read(string defaultPolicy, Caller caller)
    {
        var allow = defaultPolicy == "allow";
        var (handler, gate) = Agent(defaultPolicy);
        gate.Tokens.Set(AgentTokens.DnsKind, caller switch
        {
            Caller.None => "",
            Caller.ReadOnly => "s-read-only",
            Caller.Prefix => "s-prefix",
            Caller.Management => "s-management",
            _ => "s-no-such-token",
        });
        DnsMessage Ask(string name, RecordType type) =>
            handler.HandleAsync(Query(name, type), false, CancellationToken.None).GetAwaiter().GetResult();
        var failures = new List<string>();
        void Expect(string what, bool ok) { if (!ok) failures.Add(what); }

        if (caller == Caller.Unknown)
        {
            // Consul's lookup RPC fails with "ACL not found": SERVFAIL; addr lookups need no RPC.
            foreach (var (name, type) in new[] { ("web.service.consul", RecordType.A), ("_web._tcp.service.consul", RecordType.Srv),
                         ("v1.web.service.consul", RecordType.A), ("node1.node.consul", RecordType.A), ("api.service.consul", RecordType.Aaaa) })
                Expect($"{name} {type}: SERVFAIL", Ask(name, type).ReturnCode == ReturnCode.ServerFailure);
            Expect("addr", Addresses(Ask("0a000001.addr.dc1.consul", RecordType.A)).SequenceEqual(["10.0.0.1"]));
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            return;
        }

        // web: web1 on node1 (passing, 10.0.0.1), web2 on node2 (warning, 10.1.0.2); web3 is critical.
        var web = new List<string>();
        if (CanService(caller, allow, "web") && CanNode(caller, allow, "node1")) web.Add("10.0.0.1");
        if (CanService(caller, allow, "web") && CanNode(caller, allow, "node2")) web.Add("10.1.0.2");
        Expect("web A", Addresses(Ask("web.service.consul", RecordType.A)).Order().SequenceEqual(web));
        Expect("v1.web A", Addresses(Ask("v1.web.service.consul", RecordType.A)).Order().SequenceEqual(web));
        Expect("primary.web A", Addresses(Ask("primary.web.service.consul", RecordType.A)).SequenceEqual(web.Where(a => a == "10.0.0.1")));
        Expect("_web._tcp SRV", Ask("_web._tcp.service.consul", RecordType.Srv).AnswerRecords.OfType<SrvRecord>().Count() == web.Count);
        Expect("web NXDOMAIN when hidden", web.Count > 0 || Ask("web.service.consul", RecordType.A).ReturnCode == ReturnCode.NxDomain);

        // db: 20 instances on db-0..db-19.
        var db = Enumerable.Range(0, 20).Count(i => CanService(caller, allow, "db") && CanNode(caller, allow, $"db-{i}"));
        var dbAnswer = Ask("db.service.consul", RecordType.A);
        Expect("db A", dbAnswer.AnswerRecords.OfType<ARecord>().Any() == (db > 0));

        // api on node6 (IPv6).
        var api = CanService(caller, allow, "api") && CanNode(caller, allow, "node6");
        Expect("api AAAA", Ask("api.service.consul", RecordType.Aaaa).AnswerRecords.OfType<AaaaRecord>().Any() == api);

        // Nodes.
        Expect("node1 A", Addresses(Ask("node1.node.consul", RecordType.A)).SequenceEqual(CanNode(caller, allow, "node1") ? ["10.0.0.1"] : []));
        Expect("node6 AAAA", Ask("node6.node.dc1.consul", RecordType.Aaaa).AnswerRecords.OfType<AaaaRecord>().Any() == CanNode(caller, allow, "node6"));
        Expect("db-3 A", Addresses(Ask("db-3.node.consul", RecordType.A)).SequenceEqual(CanNode(caller, allow, "db-3") ? ["10.2.0.4"] : []));

        // Reverse and addr lookups.
        var ptr = Ask("3.0.0.10.in-addr.arpa", RecordType.Ptr).AnswerRecords.OfType<PtrRecord>().SingleOrDefault()?.PointerDomainName.ToString();
        Expect("PTR node3", (ptr == "node3.node.dc1.consul.") == CanNode(caller, allow, "node3"));
        Expect("addr", Addresses(Ask("0a000001.addr.dc1.consul", RecordType.A)).SequenceEqual(["10.0.0.1"]));

        Assert.True(failures.Count == 0, $"[{defaultPolicy}] {caller}:\n" + string.Join("\n", failures));
    }

    /// <summary>The standard DNS catalog plus ACL tables, an AclGate over them and a handler using the gate as DnsService does.</summary>
    private static (DnsQueryHandler Handler, AclGate Gate) Agent(string defaultPolicy)
    {
        var catalog = DnsCatalog.Standard();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        void Policy(string id, string name, string rules) =>
            catalog.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = id, Name = name, Rules = rules } });
        void Token(string accessor, string secret, string policyId) => catalog.Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken { AccessorID = accessor, SecretID = secret, CreateTime = now, Policies = [new AclTokenPolicyLink { ID = policyId }] },
        });
        catalog.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = AclBuiltins.GlobalManagementPolicy });
        catalog.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = AclBuiltins.GlobalReadOnlyPolicy });
        Policy("p-anon", "anonymous-reads", AnonymousPolicy);
        Policy("p-prefix", "prefix", PrefixPolicy);
        Token(AclBuiltins.AnonymousTokenId, AclBuiltins.AnonymousTokenSecret, "p-anon");
        Token("a-read-only", "s-read-only", AclBuiltins.GlobalReadOnlyPolicyId);
        Token("a-prefix", "s-prefix", "p-prefix");
        Token("a-management", "s-management", AclBuiltins.GlobalManagementPolicyId);

        var config = new AgentConfig { NodeName = "node1", Datacenter = "dc1", Acl = new AclConfig { Enabled = true, DefaultPolicy = defaultPolicy } };
        var time = new FakeTimeProvider(now);
        var gate = new AclGate(config, catalog.Store, time, new AgentTokens(config.Acl.Tokens));
        var options = new DnsOptions { NodeName = "node1", Access = () => DnsService.AccessFor(gate) };
        var handler = new DnsQueryHandler(catalog.Store, new DnsResolver(options, time, new Random(1)), new DnsAnswerCache(time, options.AnswerCacheMaxAge), null);
        return (handler, gate);
    }
}
