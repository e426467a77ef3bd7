using Consul.Core.Acl;

namespace Consul.Tests.Acl;

public class PolicyAuthorizerTests
{
    private const EnforcementDecision Allow = EnforcementDecision.Allow;
    private const EnforcementDecision Deny = EnforcementDecision.Deny;
    private const EnforcementDecision Default = EnforcementDecision.Default;

    private static PolicyAuthorizer Authz(params string[] rules) =>
        new(rules.Select(PolicyParser.Parse));

    [Fact]
    public void No_rule_means_default()
    {
        var a = Authz("""key "foo" { policy = "read" }""");
        Assert.Equal(Default, a.KeyRead("bar"));
        Assert.Equal(Default, a.ServiceRead("web"));
        Assert.Equal(Default, a.OperatorRead());
        Assert.Equal(Default, a.ACLRead());
    }

    [Fact]
    public void Exact_match_beats_prefix()
    {
        var a = Authz("""
            key_prefix "foo" { policy = "write" }
            key "foo" { policy = "deny" }
            key "foo/bar" { policy = "read" }
            """);
        Assert.Equal(Deny, a.KeyRead("foo"));
        Assert.Equal(Allow, a.KeyRead("foo/bar"));
        Assert.Equal(Deny, a.KeyWrite("foo/bar"));
        Assert.Equal(Allow, a.KeyWrite("foo/baz"));
        Assert.Equal(Allow, a.KeyWrite("food"));
    }

    [Fact]
    public void Longest_prefix_wins()
    {
        var a = Authz("""
            key_prefix "" { policy = "read" }
            key_prefix "app/" { policy = "write" }
            key_prefix "app/secret/" { policy = "deny" }
            """);
        Assert.Equal(Allow, a.KeyRead("other"));
        Assert.Equal(Deny, a.KeyWrite("other"));
        Assert.Equal(Allow, a.KeyWrite("app/x"));
        Assert.Equal(Deny, a.KeyRead("app/secret/pw"));
        Assert.Equal(Allow, a.KeyWrite("app/secret"));
    }

    [Fact]
    public void Exact_rule_does_not_cover_longer_names()
    {
        var a = Authz("""service "web" { policy = "write" }""");
        Assert.Equal(Allow, a.ServiceWrite("web"));
        Assert.Equal(Default, a.ServiceWrite("web2"));
    }

    [Theory]
    // same segment in two policies: deny > write > list > read, in either order
    [InlineData("deny", "write", AccessLevel.Deny)]
    [InlineData("write", "deny", AccessLevel.Deny)]
    [InlineData("read", "write", AccessLevel.Write)]
    [InlineData("write", "read", AccessLevel.Write)]
    [InlineData("read", "list", AccessLevel.List)]
    [InlineData("list", "write", AccessLevel.Write)]
    [InlineData("deny", "read", AccessLevel.Deny)]
    public void Merging_equal_segments_takes_the_stronger_rule(string first, string second, AccessLevel expected)
    {
        var a = Authz($$"""key_prefix "app/" { policy = "{{first}}" }""", $$"""key_prefix "app/" { policy = "{{second}}" }""");
        var (read, list, write) = expected switch
        {
            AccessLevel.Deny => (Deny, Deny, Deny),
            AccessLevel.Read => (Allow, Deny, Deny),
            AccessLevel.List => (Allow, Allow, Deny),
            _ => (Allow, Allow, Allow),
        };
        Assert.Equal(read, a.KeyRead("app/x"));
        Assert.Equal(list, a.KeyList("app/x"));
        Assert.Equal(write, a.KeyWrite("app/x"));
    }

    [Fact]
    public void Merging_keeps_exact_and_prefix_separate()
    {
        var a = Authz("""key "app" { policy = "deny" }""", """key_prefix "app" { policy = "write" }""");
        Assert.Equal(Deny, a.KeyRead("app"));
        Assert.Equal(Allow, a.KeyWrite("app/1"));
    }

    [Fact]
    public void Scalar_rules_merge_with_deny_winning()
    {
        var a = Authz("""operator = "write" """, """operator = "deny" """, """keyring = "read" """, """keyring = "write" """);
        Assert.Equal(Deny, a.OperatorRead());
        Assert.Equal(Allow, a.KeyringWrite());
    }

    [Fact]
    public void List_grants_read_and_list_but_not_write()
    {
        var a = Authz("""key_prefix "app/" { policy = "list" }""", """key_prefix "ro/" { policy = "read" }""");
        Assert.Equal(Allow, a.KeyList("app/"));
        Assert.Equal(Allow, a.KeyRead("app/x"));
        Assert.Equal(Deny, a.KeyWrite("app/x"));
        Assert.Equal(Deny, a.KeyList("ro/"));
        Assert.Equal(Allow, a.KeyRead("ro/x"));
    }

    [Fact]
    public void KeyWritePrefix_needs_write_on_the_prefix_and_everything_under_it()
    {
        var a = Authz("""
            key_prefix "" { policy = "write" }
            key_prefix "app/locked/" { policy = "read" }
            key "app/pinned" { policy = "deny" }
            key "other/fine" { policy = "write" }
            """);
        Assert.Equal(Deny, a.KeyWritePrefix("app/"));
        Assert.Equal(Deny, a.KeyWritePrefix(""));
        Assert.Equal(Allow, a.KeyWritePrefix("other/"));
        Assert.Equal(Deny, a.KeyWritePrefix("app/locked/x"));
        Assert.Equal(Allow, a.KeyWritePrefix("app/free/"));

        var none = Authz("""key "a/b" { policy = "write" }""");
        Assert.Equal(Default, none.KeyWritePrefix("a/"));
        var sub = Authz("""key "a/b" { policy = "read" }""");
        Assert.Equal(Deny, sub.KeyWritePrefix("a/"));
    }

    [Fact]
    public void Every_prefixed_resource_kind_is_checked()
    {
        var a = Authz("""
            agent_prefix "n" { policy = "write" }
            node_prefix "n" { policy = "read" }
            session_prefix "n" { policy = "write" }
            event_prefix "dep" { policy = "read" }
            query_prefix "q" { policy = "write" }
            service_prefix "s" { policy = "read" }
            """);
        Assert.Equal(Allow, a.AgentWrite("n1"));
        Assert.Equal(Allow, a.NodeRead("n1"));
        Assert.Equal(Deny, a.NodeWrite("n1"));
        Assert.Equal(Allow, a.SessionWrite("n1"));
        Assert.Equal(Allow, a.EventRead("deploy"));
        Assert.Equal(Deny, a.EventWrite("deploy"));
        Assert.Equal(Allow, a.PreparedQueryWrite("q1"));
        Assert.Equal(Allow, a.ServiceRead("svc"));
        Assert.Equal(Deny, a.ServiceWrite("svc"));
        Assert.Equal(Default, a.AgentRead("x"));
    }

    [Fact]
    public void Acl_rule_covers_acl_and_snapshot()
    {
        var read = Authz("""acl = "read" """);
        Assert.Equal(Allow, read.ACLRead());
        Assert.Equal(Deny, read.ACLWrite());
        Assert.Equal(Deny, read.Snapshot());
        Assert.Equal(Allow, Authz("""acl = "write" """).Snapshot());
    }

    [Fact]
    public void Mesh_and_peering_fall_back_to_operator()
    {
        var a = Authz("""operator = "write" """);
        Assert.Equal(Allow, a.MeshWrite());
        Assert.Equal(Allow, a.PeeringRead());
        var b = Authz("""operator = "write" """, """mesh = "read" """);
        Assert.Equal(Deny, b.MeshWrite());
        Assert.Equal(Allow, b.PeeringWrite());
    }

    [Fact]
    public void Intentions_follow_service_policy_unless_set()
    {
        var a = Authz("""
            service "web" { policy = "write" }
            service "db" { policy = "read" intentions = "write" }
            service "no" { policy = "deny" }
            """);
        Assert.Equal(Allow, a.IntentionRead("web"));
        Assert.Equal(Deny, a.IntentionWrite("web"));
        Assert.Equal(Allow, a.IntentionWrite("db"));
        Assert.Equal(Deny, a.IntentionRead("no"));
        Assert.Equal(Allow, a.IntentionRead("*"));
        Assert.Equal(Deny, a.IntentionWrite("*"));
    }

    [Fact]
    public void Any_and_all_checks()
    {
        var a = Authz("""service_prefix "" { policy = "read" }""", """service "web" { policy = "write" }""");
        Assert.Equal(Allow, a.ServiceReadAll());
        Assert.Equal(Allow, a.ServiceWriteAny());
        var b = Authz("""service_prefix "" { policy = "read" }""", """service "secret" { policy = "deny" }""");
        Assert.Equal(Deny, b.ServiceReadAll());
        Assert.Equal(Deny, b.ServiceWriteAny()); // the catch-all read prefix denies write
        Assert.Equal(Default, Authz("""node "a" { policy = "read" }""").NodeReadAll());
    }
}
