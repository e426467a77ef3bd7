using System.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Consul.Core.Acl;
using Consul.Core.Dns;
using Consul.Core.State;
using Consul.Tests.Http;
using DnsClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using static Consul.Tests.Dns.DnsTestQueries;

namespace Consul.Tests.Dns;

/// <summary>
/// The agent's DNS token (acl.tokens.dns, else default, else anonymous) resolved through
/// <see cref="AclGate"/> against the ACL tables in the state: token, policy and down-policy
/// changes show in the very next answer.
/// </summary>
public class DnsTokenTests
{
    private const string ReadAll = """node_prefix "" { policy = "read" } service_prefix "" { policy = "read" }""";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly FakeTimeProvider _time = new(Now);
    private readonly DnsCatalog _catalog = DnsCatalog.Standard();
    private readonly AgentTokens _tokens;
    private readonly AclGate _gate;
    private readonly DnsQueryHandler _handler;

    public DnsTokenTests()
    {
        var config = new AgentConfig
        {
            NodeName = "node1",
            Acl = new AclConfig { Enabled = true, DefaultPolicy = "deny", DownPolicy = "deny" },
        };
        _tokens = new AgentTokens(config.Acl.Tokens);
        _gate = new AclGate(config, _catalog.Store, _time, _tokens);
        _catalog.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = AclBuiltins.AnonymousToken(Now) });
        Policy("p-read", ReadAll);
        Token("dns-secret", "p-read");
        Token("nothing-secret");
        var options = new DnsOptions { NodeName = "node1", Access = () => DnsService.AccessFor(_gate) };
        _handler = new DnsQueryHandler(_catalog.Store, new DnsResolver(options, _time, new Random(1)),
            new DnsAnswerCache(_time, options.AnswerCacheMaxAge), null);
    }

    private void Policy(string id, string rules) =>
        _catalog.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = id, Name = id, Rules = rules }.WithHash() });

    private void Token(string secret, params string[] policies) =>
        _catalog.Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken
            {
                AccessorID = "acc-" + secret,
                SecretID = secret,
                CreateTime = Now,
                Policies = policies.Select(p => new AclTokenPolicyLink { ID = p }).ToList(),
            }.WithHash(),
        });

    private DnsMessage Web() => _handler.HandleAsync(Query("web.service.consul", RecordType.A), false, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void DnsToken_ThenDefaultToken_ThenAnonymous()
    {
        Assert.Equal(ReturnCode.NxDomain, Web().ReturnCode);
        _tokens.Set(AgentTokens.DefaultKind, "dns-secret");
        Assert.Equal(2, Addresses(Web()).Count);
        _tokens.Set(AgentTokens.DnsKind, "nothing-secret");
        Assert.Equal(ReturnCode.NxDomain, Web().ReturnCode);
        _tokens.Set(AgentTokens.DnsKind, "dns-secret");
        Assert.Equal(2, Addresses(Web()).Count);
    }

    [Fact]
    public void UnknownOrDeletedToken_Fails()
    {
        _tokens.Set(AgentTokens.DnsKind, "no-such-secret");
        Assert.Equal(ReturnCode.ServerFailure, Web().ReturnCode);
        _tokens.Set(AgentTokens.DnsKind, "dns-secret");
        Assert.Equal(ReturnCode.NoError, Web().ReturnCode);
        _catalog.Apply(new AclCommand { Verb = AclCommand.TokenDelete, ID = "acc-dns-secret" });
        Assert.Equal(ReturnCode.ServerFailure, Web().ReturnCode);
    }

    [Fact]
    public void PolicyEdits_ApplyToTheNextAnswer()
    {
        _tokens.Set(AgentTokens.DnsKind, "dns-secret");
        Assert.Equal(2, Addresses(Web()).Count);
        Policy("p-read", """node_prefix "" { policy = "read" }""");
        Assert.Equal(ReturnCode.NxDomain, Web().ReturnCode);
        Policy("p-read", ReadAll);
        Assert.Equal(2, Addresses(Web()).Count);
    }

    [Fact]
    public void DownPolicyDeny_HidesEverything_WhileServersAreUnreachable()
    {
        _tokens.Set(AgentTokens.DnsKind, "dns-secret");
        var reachable = true;
        _gate.ServersReachable = () => reachable;
        Assert.Equal(2, Addresses(Web()).Count);
        reachable = false;
        Assert.Equal(ReturnCode.NxDomain, Web().ReturnCode);
        reachable = true;
        Assert.Equal(2, Addresses(Web()).Count);
    }

    [Fact]
    public void AclsDisabled_ShowEverything()
    {
        var gate = new AclGate(new AgentConfig { NodeName = "node1" }, _catalog.Store, _time, _tokens);
        Assert.Same(DnsAccess.Unrestricted, DnsService.AccessFor(gate));
    }

    [Fact(Timeout = 30_000)]
    public async Task Agent_AnswersWithItsDnsToken_OverUdp()
    {
        var config = AgentTestHost.DefaultConfig() with
        {
            ClientAddrs = ["127.0.0.1"],
            Ports = new PortsConfig { Dns = 0 },
            Acl = new AclConfig { Enabled = true, DefaultPolicy = "deny", Tokens = new AclTokensConfig { InitialManagement = "root" } },
        };
        await using var host = await AgentTestHost.StartAsync(config);
        var store = host.Service<StateStore>();
        await AgentTestHost.WaitUntil(() => Task.FromResult(
                store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && store.Current.ServiceNodes.ContainsKey("consul")),
            TimeSpan.FromSeconds(10), "anonymous token and the consul service");
        var dns = host.App.Services.GetServices<IHostedService>().OfType<DnsService>().Single();
        var client = new LookupClient(new LookupClientOptions(new NameServer(dns.Endpoints.Single()))
        {
            UseCache = false,
            // Generous: the machine running the suite may be busy.
            Timeout = TimeSpan.FromSeconds(5),
            Retries = 3,
            ThrowDnsErrors = false,
        });

        var denied = await client.QueryAsync("consul.service.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, denied.Header.ResponseCode);

        var log = host.Service<ICommandLog>();
        Assert.True((await log.ApplyAsync(new AclCommand
        {
            Verb = AclCommand.PolicySet,
            Policy = new AclPolicy { ID = "dns-policy-id", Name = "dns", Rules = ReadAll }.WithHash(),
        }, CancellationToken.None)).Ok);
        Assert.True((await log.ApplyAsync(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken
            {
                AccessorID = "dns-accessor", SecretID = "dns-secret", CreateTime = DateTimeOffset.UtcNow,
                Policies = [new AclTokenPolicyLink { ID = "dns-policy-id" }],
            }.WithHash(),
        }, CancellationToken.None)).Ok);
        host.Service<AgentTokens>().Set(AgentTokens.DnsKind, "dns-secret");

        var allowed = await client.QueryAsync("consul.service.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, allowed.Header.ResponseCode);
        Assert.NotEmpty(allowed.Answers.ARecords());
    }
}
