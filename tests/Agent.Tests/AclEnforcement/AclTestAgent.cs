using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Core.Acl;
using Consul.Core.State;
using Consul.Tests.Http;

namespace Consul.Tests.AclEnforcement;

/// <summary>Who is asking in the matrix.</summary>
public enum Caller
{
    /// <summary>No token; the anonymous token has no policy.</summary>
    None,
    /// <summary>No token; the anonymous token was granted <see cref="AclTestAgent.AnonRules"/>.</summary>
    Anon,
    /// <summary>A token with builtin/global-read-only.</summary>
    ReadOnly,
    /// <summary>A token with <see cref="AclTestAgent.PrefixRules"/>.</summary>
    Prefix,
    /// <summary>The initial management token.</summary>
    Mgmt,
}

/// <summary>
/// An in-process agent with ACLs on (default policy deny or allow), the matrix tokens and a
/// fixed data set: keys app/config, public/info, secret/key; nodes test-node (the agent),
/// ext-node (service db) and hidden (service web); agent services web1 (web, TTL check
/// web-ttl) and pub1 (pub); node check node-ttl; one session; events deploy and pub-news.
/// </summary>
public sealed class AclTestAgent : IAsyncDisposable
{
    public const string RootSecret = "root";
    public const string ReadOnlyAccessor = "11111111-0000-4000-8000-000000000001";
    public const string ReadOnlySecret = "22222222-0000-4000-8000-000000000001";
    public const string PrefixAccessor = "11111111-0000-4000-8000-000000000002";
    public const string PrefixSecret = "22222222-0000-4000-8000-000000000002";
    public const string Node = AgentTestHost.NodeName;

    public const string AnonRules = """
        key_prefix "public/" { policy = "read" }
        service_prefix "pub" { policy = "write" }
        node_prefix "" { policy = "read" }
        event_prefix "pub" { policy = "write" }
        """;

    public const string PrefixRules = """
        key_prefix "app/" { policy = "write" }
        key_prefix "secret/" { policy = "deny" }
        service_prefix "web" { policy = "read" }
        service_prefix "db" { policy = "deny" }
        node_prefix "" { policy = "read" }
        node "hidden" { policy = "deny" }
        """;

    private AclTestAgent(AgentTestHost host, string defaultPolicy)
    {
        Host = host;
        DefaultPolicy = defaultPolicy;
    }

    public AgentTestHost Host { get; }
    public string DefaultPolicy { get; }
    public string SessionId { get; private set; } = "";

    /// <summary>ID of the prepared query "q-one" (service web).</summary>
    public string QueryId { get; private set; } = "";

    /// <summary>A prepared query ("q-del") made just before a row deletes it.</summary>
    public string ScratchQuery { get; set; } = "";

    /// <summary>A session made just before a row destroys it.</summary>
    public string ScratchSession { get; set; } = "";

    public static async Task<AclTestAgent> StartAsync(string defaultPolicy, bool seed = true)
    {
        var config = AgentTestHost.DefaultConfig() with
        {
            Acl = new AclConfig { Enabled = true, DefaultPolicy = defaultPolicy, Tokens = new AclTokensConfig { InitialManagement = RootSecret } },
        };
        var agent = new AclTestAgent(await AgentTestHost.StartAsync(config), defaultPolicy);
        var store = agent.Host.Service<StateStore>();
        await AgentTestHost.WaitUntil(() => Task.FromResult(
                store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && store.Current.AclSecrets.ContainsKey(RootSecret)),
            TimeSpan.FromSeconds(20), "ACL bootstrap (anonymous and initial management tokens)");
        await agent.CreateTokensAsync();
        if (seed) await agent.SeedAsync();
        return agent;
    }

    private async Task CreateTokensAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = "aaaaaaaa-0000-4000-8000-000000000001", Name = "anon-grants", Rules = AnonRules }.WithHash() });
        await Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = "aaaaaaaa-0000-4000-8000-000000000002", Name = "prefixes", Rules = PrefixRules }.WithHash() });
        await Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken
            {
                AccessorID = ReadOnlyAccessor, SecretID = ReadOnlySecret, Description = "read-only", CreateTime = now,
                Policies = [new AclTokenPolicyLink { ID = AclBuiltins.GlobalReadOnlyPolicyId }],
            }.WithHash(),
        });
        await Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken
            {
                AccessorID = PrefixAccessor, SecretID = PrefixSecret, Description = "prefixes", CreateTime = now,
                Policies = [new AclTokenPolicyLink { ID = "aaaaaaaa-0000-4000-8000-000000000002" }],
            }.WithHash(),
        });
    }

    /// <summary>Links the anon-grants policy to the anonymous token (the <see cref="Caller.Anon"/> phase).</summary>
    public Task GrantAnonymousAsync()
    {
        var anon = Host.Service<StateStore>().Current.AclTokens[AclBuiltins.AnonymousTokenId];
        return Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = (anon with { Policies = [new AclTokenPolicyLink { ID = "aaaaaaaa-0000-4000-8000-000000000001" }] }).WithHash(),
        });
    }

    private async Task Apply(StateCommand command)
    {
        var result = await Host.Service<ICommandLog>().ApplyAsync(command, CancellationToken.None);
        Assert.True(result.Ok, result.Error);
    }

    private async Task SeedAsync()
    {
        await MustSucceed("PUT", "/v1/kv/app/config", "a");
        await MustSucceed("PUT", "/v1/kv/public/info", "p");
        await MustSucceed("PUT", "/v1/kv/secret/key", "s");
        await MustSucceed("PUT", "/v1/agent/service/register", """{"ID":"web1","Name":"web","Port":80,"Check":{"CheckID":"web-ttl","TTL":"10m"}}""");
        await MustSucceed("PUT", "/v1/agent/service/register", """{"ID":"pub1","Name":"pub","Port":81}""");
        await MustSucceed("PUT", "/v1/agent/check/register", """{"ID":"node-ttl","Name":"node-ttl","TTL":"10m"}""");
        await MustSucceed("PUT", "/v1/catalog/register",
            """{"Node":"ext-node","Address":"127.0.0.2","Service":{"ID":"db1","Service":"db","Port":5432},"Check":{"CheckID":"ext-check","Name":"ext","Status":"passing"}}""");
        await MustSucceed("PUT", "/v1/catalog/register",
            """{"Node":"hidden","Address":"127.0.0.3","Service":{"ID":"web-h","Service":"web","Port":80},"Check":{"CheckID":"hidden-web","Name":"hw","Status":"passing","ServiceID":"web-h"}}""");
        var session = await MustSucceed("PUT", "/v1/session/create", "{}");
        SessionId = (string)JsonNode.Parse(session)!["ID"]!;
        await MustSucceed("PUT", "/v1/event/fire/deploy", null);
        await MustSucceed("PUT", "/v1/event/fire/pub-news", null);
        var origin = new Consul.Core.Gossip.Coordinates.Coordinate(new double[8], 1.5, 0, 1e-5);
        await Apply(new CoordinateBatchCommand { Updates = [new(Node, "", origin), new("ext-node", "", origin), new("hidden", "", origin)] });
        var query = await MustSucceed("POST", "/v1/query", """{"Name":"q-one","Service":{"Service":"web"}}""");
        QueryId = (string)JsonNode.Parse(query)!["ID"]!;
        // Anti-entropy puts the agent's node, services and checks into the catalog.
        await AgentTestHost.WaitUntil(async () =>
        {
            var r = await Send(Caller.Mgmt, "GET", "/v1/health/node/" + Node);
            var text = await r.Content.ReadAsStringAsync();
            return text.Contains("\"web-ttl\"") && text.Contains("\"node-ttl\"") &&
                   (await (await Send(Caller.Mgmt, "GET", "/v1/catalog/service/pub")).Content.ReadAsStringAsync()).Contains("pub1");
        }, TimeSpan.FromSeconds(20), "anti-entropy sync of the agent's services and checks");
    }

    /// <summary>A management request that must answer 200; returns the body.</summary>
    public async Task<string> MustSucceed(string method, string url, string? body)
    {
        var r = await Send(Caller.Mgmt, method, url, body);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"{method} {url} as management -> {(int)r.StatusCode}: {text}");
        return text;
    }

    public static string? SecretOf(Caller caller) => caller switch
    {
        Caller.ReadOnly => ReadOnlySecret,
        Caller.Prefix => PrefixSecret,
        Caller.Mgmt => RootSecret,
        _ => null,
    };

    public Task<HttpResponseMessage> Send(Caller caller, string method, string url, string? body = null)
    {
        var req = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) req.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        if (SecretOf(caller) is { } secret) req.Headers.Add("X-Consul-Token", secret);
        return Host.Client.SendAsync(req);
    }

    public AgentTokens Tokens => Host.Service<AgentTokens>();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
