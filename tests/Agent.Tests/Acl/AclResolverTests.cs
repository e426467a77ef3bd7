using System.Text.Json;
using Consul.Core.Acl;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Acl;

public class AclResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly InMemoryAclStore _store = new();
    private ulong _index = 10;

    public AclResolverTests() => _store.SeedBuiltins(1, T0);

    private AclResolver Resolver(string defaultPolicy = "deny", string dc = "dc1", string? recovery = null) =>
        new(_store, new AclResolverOptions { DefaultPolicy = defaultPolicy, Datacenter = dc, NodeName = "node1", AgentRecoveryToken = recovery }, _time);

    private AclPolicy Policy(string id, string rules, params string[] dcs) =>
        _store.UpsertPolicy(new AclPolicy { ID = id, Name = id, Rules = rules, Datacenters = dcs.Length == 0 ? null : dcs }, ++_index);

    private AclToken Token(string secret, Func<AclToken, AclToken>? shape = null)
    {
        var t = new AclToken { AccessorID = "acc-" + secret, SecretID = secret, CreateTime = _time.GetUtcNow() };
        return _store.UpsertToken((shape ?? (x => x))(t), ++_index);
    }

    private static IReadOnlyList<AclTokenPolicyLink> Links(params string[] ids) =>
        ids.Select(i => new AclTokenPolicyLink { ID = i }).ToList();

    [Fact]
    public void Empty_secret_resolves_to_the_anonymous_token_and_default_policy()
    {
        var deny = Resolver("deny").Resolve(null);
        Assert.Equal(AclBuiltins.AnonymousTokenId, deny.Token!.AccessorID);
        Assert.False(deny.Authorizer.KeyRead("x"));
        Assert.True(Resolver("allow").ResolveToken("").KeyRead("x"));
        Assert.False(Resolver("allow").ResolveToken("").ACLRead());
    }

    [Fact]
    public void Anonymous_token_can_be_given_policies()
    {
        Policy("p-dns", """service_prefix "" { policy = "read" }""");
        var anon = _store.TokenByAccessor(AclBuiltins.AnonymousTokenId)!;
        _store.UpsertToken(anon with { Policies = Links("p-dns") }, ++_index);
        Assert.True(Resolver("deny").ResolveToken(null).ServiceRead("web"));
    }

    [Fact]
    public void Unknown_secret_is_acl_not_found()
    {
        var ex = Assert.Throws<AclNotFoundException>(() => Resolver().ResolveToken("nope"));
        Assert.Equal("ACL not found", ex.Message);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("deny")]
    [InlineData("manage")]
    public void Root_secrets_are_refused(string secret)
    {
        var ex = Assert.Throws<AclRootDeniedException>(() => Resolver().ResolveToken(secret));
        Assert.Equal("Cannot resolve root ACL", ex.Message);
    }

    [Fact]
    public void Management_token_can_do_everything()
    {
        var boot = _store.UpsertToken(AclBuiltins.BootstrapToken("acc-boot", "boot-secret", T0), ++_index);
        var authz = Resolver("deny").ResolveToken("boot-secret");
        Assert.Equal("acc-boot", authz.AccessorID);
        Assert.True(authz.ACLWrite());
        Assert.True(authz.KeyWritePrefix(""));
        Assert.True(authz.ServiceWrite("any"));
        Assert.True(authz.IntentionWrite("*"));
        Assert.True(authz.OperatorWrite());
        Assert.True(authz.MeshWrite());
        Assert.True(authz.PeeringWrite());
        Assert.True(authz.Snapshot());
        Assert.Equal("Bootstrap Token (Global Management)", boot.Description);
    }

    [Fact]
    public void Global_read_only_policy_reads_everything_and_writes_nothing()
    {
        Token("ro", t => t with { Policies = Links(AclBuiltins.GlobalReadOnlyPolicyId) });
        var authz = Resolver("allow").ResolveToken("ro");
        Assert.True(authz.KeyRead("any"));
        Assert.False(authz.KeyWrite("any"));
        Assert.True(authz.ACLRead());
        Assert.False(authz.ACLWrite());
        Assert.True(authz.ServiceReadAll());
        Assert.False(authz.ServiceWriteAny());
        Assert.True(authz.IntentionRead("*"));
        Assert.Equal("Permission denied: token with AccessorID 'acc-ro' lacks permission 'key:write' on \"any\"",
            authz.KeyWriteAllowed("any")!.Message);
    }

    [Fact]
    public void Token_policies_chain_in_front_of_the_default()
    {
        Policy("p1", """key_prefix "app/" { policy = "write" }""");
        Policy("p2", """key "app/locked" { policy = "deny" }""");
        Token("s1", t => t with { Policies = Links("p1", "p2", "missing-policy") });

        var deny = Resolver("deny").ResolveToken("s1");
        Assert.True(deny.KeyWrite("app/x"));
        Assert.False(deny.KeyRead("app/locked"));
        Assert.False(deny.KeyRead("other"));

        var allow = Resolver("allow").ResolveToken("s1");
        Assert.True(allow.KeyRead("other"));
        Assert.False(allow.KeyRead("app/locked"));
    }

    [Fact]
    public void Roles_contribute_policies_and_identities()
    {
        Policy("p-ops", """operator = "read" """);
        _store.UpsertRole(new AclRole
        {
            ID = "r1",
            Name = "ops",
            Policies = [new AclRolePolicyLink { ID = "p-ops" }],
            ServiceIdentities = [new AclServiceIdentity { ServiceName = "billing" }],
        }, ++_index);
        Token("s1", t => t with { Roles = [new AclTokenRoleLink { ID = "r1" }, new AclTokenRoleLink { ID = "gone" }] });

        var authz = Resolver("deny").ResolveToken("s1");
        Assert.True(authz.OperatorRead());
        Assert.True(authz.ServiceWrite("billing"));
        Assert.False(authz.ServiceWrite("web"));
    }

    [Fact]
    public void Service_identity_grants_the_templated_permissions()
    {
        Token("s1", t => t with { ServiceIdentities = [new AclServiceIdentity { ServiceName = "web" }] });
        var authz = Resolver("deny").ResolveToken("s1");
        Assert.True(authz.ServiceWrite("web"));
        Assert.True(authz.ServiceWrite("web-sidecar-proxy"));
        Assert.False(authz.ServiceWrite("web2"));
        Assert.False(authz.ServiceWrite("db"));
        Assert.True(authz.ServiceRead("db"));
        Assert.True(authz.NodeRead("any-node"));
        Assert.False(authz.NodeWrite("any-node"));
        Assert.False(authz.KeyRead("k"));
        Assert.True(authz.IntentionRead("web"));
    }

    [Fact]
    public void Node_identity_grants_the_templated_permissions_in_its_datacenter_only()
    {
        Token("s1", t => t with { NodeIdentities = [new AclNodeIdentity { NodeName = "n1", Datacenter = "dc1" }] });
        var here = Resolver("deny", dc: "dc1").ResolveToken("s1");
        Assert.True(here.NodeWrite("n1"));
        Assert.False(here.NodeWrite("n2"));
        Assert.True(here.ServiceRead("web"));
        Assert.False(here.ServiceWrite("web"));

        var elsewhere = Resolver("deny", dc: "dc2").ResolveToken("s1");
        Assert.False(elsewhere.NodeWrite("n1"));
    }

    [Fact]
    public void Datacenter_scoped_policies_and_service_identities_are_filtered()
    {
        Policy("p-dc2", """key_prefix "" { policy = "write" }""", "dc2");
        Token("s1", t => t with
        {
            Policies = Links("p-dc2"),
            ServiceIdentities = [new AclServiceIdentity { ServiceName = "web", Datacenters = ["dc2"] }],
        });
        Assert.False(Resolver("deny", dc: "dc1").ResolveToken("s1").KeyWrite("x"));
        Assert.False(Resolver("deny", dc: "dc1").ResolveToken("s1").ServiceWrite("web"));
        Assert.True(Resolver("deny", dc: "dc2").ResolveToken("s1").KeyWrite("x"));
        Assert.True(Resolver("deny", dc: "dc2").ResolveToken("s1").ServiceWrite("web"));
    }

    [Fact]
    public void Expired_tokens_are_not_found()
    {
        Policy("p1", """key_prefix "" { policy = "read" }""");
        Token("s1", t => (t with { Policies = Links("p1"), ExpirationTTL = TimeSpan.FromMinutes(5) }).ApplyExpirationTtl());
        var resolver = Resolver("deny");

        Assert.True(resolver.ResolveToken("s1").KeyRead("k"));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(resolver.ResolveToken("s1").KeyRead("k")); // expiry is strictly after ExpirationTime
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Throws<AclNotFoundException>(() => resolver.ResolveToken("s1"));
    }

    [Fact]
    public void Compiled_authorizers_are_cached_by_policy_modify_index()
    {
        Policy("p1", """key "a" { policy = "read" }""");
        Token("s1", t => t with { Policies = Links("p1") });
        Token("s2", t => t with { Policies = Links("p1") });
        var resolver = Resolver("deny");

        Assert.False(resolver.ResolveToken("s1").KeyWrite("a"));
        Assert.False(resolver.ResolveToken("s2").KeyWrite("a"));
        Assert.Equal(1, resolver.CompileCount);

        Policy("p1", """key "a" { policy = "write" }""");
        Assert.True(resolver.ResolveToken("s1").KeyWrite("a"));
        Assert.Equal(2, resolver.CompileCount);
    }

    [Fact]
    public void Role_changes_take_effect_without_purging()
    {
        Policy("p1", """key "a" { policy = "write" }""");
        _store.UpsertRole(new AclRole { ID = "r1", Name = "r" }, ++_index);
        Token("s1", t => t with { Roles = [new AclTokenRoleLink { ID = "r1" }] });
        var resolver = Resolver("deny");
        Assert.False(resolver.ResolveToken("s1").KeyWrite("a"));
        _store.UpsertRole(new AclRole { ID = "r1", Name = "r", Policies = [new AclRolePolicyLink { ID = "p1" }] }, ++_index);
        Assert.True(resolver.ResolveToken("s1").KeyWrite("a"));
    }

    [Fact]
    public void Agent_recovery_token_gets_agent_write_on_its_node_only()
    {
        var resolution = Resolver("allow", recovery: "recover-me").Resolve("recover-me");
        var authz = resolution.Authorizer;
        Assert.Null(resolution.Token);
        Assert.Equal("agent-recovery:node1", authz.AccessorID);
        Assert.True(authz.AgentWrite("node1"));
        Assert.False(authz.AgentWrite("node2"));
        Assert.True(authz.NodeRead("node2"));
        Assert.False(authz.KeyRead("k"));
    }

    [Fact]
    public void Disabled_acls_allow_everything()
    {
        Assert.True(AclResolver.DisabledAuthorizer.ACLWrite());
        Assert.True(AclResolver.DisabledAuthorizer.KeyWrite("x"));
    }

    [Fact]
    public void Token_json_has_consuls_shape()
    {
        var token = new AclToken
        {
            AccessorID = "6a1253d2-1785-24fd-91c2-f8e78c745511",
            SecretID = "45a3bd52-07c7-47a4-52fd-0745e0cfe967",
            Description = "Agent token for 'node1'",
            Policies = [new AclTokenPolicyLink { ID = "165d4317-e379-f732-ce70-86278c4558f7", Name = "node1-write" }],
            ServiceIdentities = [new AclServiceIdentity { ServiceName = "web" }],
            NodeIdentities = [new AclNodeIdentity { NodeName = "n1", Datacenter = "dc1" }],
            CreateTime = T0,
            CreateIndex = 59,
            ModifyIndex = 60,
        }.WithHash();
        var json = JsonSerializer.Serialize(token);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("6a1253d2-1785-24fd-91c2-f8e78c745511", root.GetProperty("AccessorID").GetString());
        Assert.Equal("45a3bd52-07c7-47a4-52fd-0745e0cfe967", root.GetProperty("SecretID").GetString());
        Assert.Equal("node1-write", root.GetProperty("Policies")[0].GetProperty("Name").GetString());
        Assert.Equal("web", root.GetProperty("ServiceIdentities")[0].GetProperty("ServiceName").GetString());
        Assert.False(root.GetProperty("ServiceIdentities")[0].TryGetProperty("Datacenters", out _));
        Assert.Equal("dc1", root.GetProperty("NodeIdentities")[0].GetProperty("Datacenter").GetString());
        Assert.False(root.GetProperty("Local").GetBoolean());
        Assert.Equal(32, Convert.FromBase64String(root.GetProperty("Hash").GetString()!).Length);
        Assert.Equal(59UL, root.GetProperty("CreateIndex").GetUInt64());
        Assert.Equal(60UL, root.GetProperty("ModifyIndex").GetUInt64());
        Assert.False(root.TryGetProperty("Roles", out _));
        Assert.False(root.TryGetProperty("ExpirationTime", out _));
        Assert.False(root.TryGetProperty("ExpirationTTL", out _));
        Assert.False(root.TryGetProperty("AuthMethod", out _));
    }

    [Theory]
    [InlineData("\"10m\"", 600)]
    [InlineData("600000000000", 600)]
    public void Token_json_reads_expiration_ttl_as_string_or_nanoseconds(string ttl, int seconds)
    {
        var token = JsonSerializer.Deserialize<AclToken>($$"""{ "Description": "t", "ExpirationTTL": {{ttl}} }""")!;
        Assert.Equal(TimeSpan.FromSeconds(seconds), token.ExpirationTTL);
        var applied = (token with { CreateTime = T0 }).ApplyExpirationTtl();
        Assert.Equal(T0.AddSeconds(seconds), applied.ExpirationTime);
        Assert.Null(applied.ExpirationTTL);
    }

    [Fact]
    public void Hash_changes_with_content()
    {
        var a = new AclToken { Description = "a" }.WithHash();
        var b = new AclToken { Description = "b" }.WithHash();
        var aLocal = new AclToken { Description = "a", Local = true }.WithHash();
        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, aLocal.Hash);
        Assert.Equal(a.Hash, new AclToken { Description = "a", SecretID = "other" }.WithHash().Hash);
    }

    [Fact]
    public void Synthetic_policies_name_their_identity()
    {
        var svc = new AclServiceIdentity { ServiceName = "web", Datacenters = ["dc1"] }.SyntheticPolicy();
        Assert.Equal("synthetic policy for service identity \"web\"", svc.Description);
        Assert.Equal("synthetic-policy-" + svc.ID, svc.Name);
        Assert.Equal(["dc1"], svc.Datacenters!);
        var node = new AclNodeIdentity { NodeName = "n1", Datacenter = "dc3" }.SyntheticPolicy();
        Assert.Equal("synthetic policy for node identity \"n1\"", node.Description);
        Assert.Equal(["dc3"], node.Datacenters!);
        Assert.NotEqual(svc.ID, node.ID);
    }
}

public class AclTokenExpiryTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Ttl_becomes_expiration_time()
    {
        var t = AclTokenExpiry.ForCreate(new AclToken { ExpirationTTL = TimeSpan.FromHours(1) }, Now);
        Assert.Equal(Now.AddHours(1), t.ExpirationTime);
        Assert.Equal(Now, t.CreateTime);
        Assert.Null(t.ExpirationTTL);
        Assert.False(t.IsExpired(Now.AddHours(1)));
        Assert.True(t.IsExpired(Now.AddHours(1).AddTicks(1)));
    }

    [Fact]
    public void No_expiry_is_fine()
    {
        var t = AclTokenExpiry.ForCreate(new AclToken(), Now);
        Assert.Null(t.ExpirationTime);
        Assert.False(t.IsExpired(Now.AddYears(10)));
    }

    [Theory]
    [InlineData(-60, null, "Token Expiration TTL '-1m0s' should be > 0")]
    [InlineData(60 * 60 * 25, null, "ExpirationTime cannot be more than 24h0m0s in the future (was 25h0m0s)")]
    [InlineData(30, null, "ExpirationTime cannot be less than 1m0s in the future (was 30s)")]
    [InlineData(120, 60, "Token Expiration TTL and Expiration Time cannot both be set")]
    [InlineData(0, -60, "ExpirationTime cannot be before CreateTime")]
    public void Bad_expiry_gives_consuls_message(int ttlSeconds, int? expiresInSeconds, string message)
    {
        var token = new AclToken
        {
            ExpirationTTL = ttlSeconds == 0 ? null : TimeSpan.FromSeconds(ttlSeconds),
            ExpirationTime = expiresInSeconds is { } s ? Now.AddSeconds(s) : null,
        };
        var ex = Assert.Throws<AclTokenValidationException>(() => AclTokenExpiry.ForCreate(token, Now));
        Assert.Equal(message, ex.Message);
    }
}
