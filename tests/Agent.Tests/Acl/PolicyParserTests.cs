using Consul.Core.Acl;

namespace Consul.Tests.Acl;

public class PolicyParserTests
{
    private const string AllKindsHcl = """
        # every resource kind
        acl = "write"
        agent "node1" { policy = "read" }
        agent_prefix "" { policy = "deny" }
        key "foo" { policy = "read" }
        key_prefix "app/" { policy = "list" }
        node "n1" { policy = "write" }
        node_prefix "web-" { policy = "read" }
        service "api" {
          policy = "write"
          intentions = "read"
        }
        service_prefix "" { policy = "read" }
        session "n1" { policy = "write" }
        session_prefix "" { policy = "read" }
        event "deploy" { policy = "write" }
        event_prefix "" { policy = "read" }
        query "q1" { policy = "write" }
        query_prefix "" { policy = "read" }
        keyring = "read"
        operator = "read"   // trailing comment
        mesh = "write"
        /* block
           comment */
        peering = "deny"
        """;

    private const string AllKindsJson = """
        {
          "acl": "write",
          "agent": { "node1": { "policy": "read" } },
          "agent_prefix": { "": { "policy": "deny" } },
          "key": { "foo": { "policy": "read" } },
          "key_prefix": { "app/": { "policy": "list" } },
          "node": { "n1": { "policy": "write" } },
          "node_prefix": { "web-": { "policy": "read" } },
          "service": { "api": { "policy": "write", "intentions": "read" } },
          "service_prefix": { "": { "policy": "read" } },
          "session": { "n1": { "policy": "write" } },
          "session_prefix": { "": { "policy": "read" } },
          "event": { "deploy": { "policy": "write" } },
          "event_prefix": { "": { "policy": "read" } },
          "query": { "q1": { "policy": "write" } },
          "query_prefix": { "": { "policy": "read" } },
          "keyring": "read",
          "operator": "read",
          "mesh": "write",
          "peering": "deny"
        }
        """;

    [Theory]
    [InlineData(AllKindsHcl)]
    [InlineData(AllKindsJson)]
    public void Parses_every_resource_kind(string rules)
    {
        var p = PolicyParser.Parse(rules);
        Assert.Equal("write", p.Acl);
        Assert.Equal([new AgentRule("node1", "read")], p.Agents);
        Assert.Equal([new AgentRule("", "deny")], p.AgentPrefixes);
        Assert.Equal([new KeyRule("foo", "read")], p.Keys);
        Assert.Equal([new KeyRule("app/", "list")], p.KeyPrefixes);
        Assert.Equal([new NodeRule("n1", "write")], p.Nodes);
        Assert.Equal([new NodeRule("web-", "read")], p.NodePrefixes);
        Assert.Equal([new ServiceRule("api", "write", "read")], p.Services);
        Assert.Equal([new ServiceRule("", "read")], p.ServicePrefixes);
        Assert.Equal([new SessionRule("n1", "write")], p.Sessions);
        Assert.Equal([new SessionRule("", "read")], p.SessionPrefixes);
        Assert.Equal([new EventRule("deploy", "write")], p.Events);
        Assert.Equal([new EventRule("", "read")], p.EventPrefixes);
        Assert.Equal([new PreparedQueryRule("q1", "write")], p.PreparedQueries);
        Assert.Equal([new PreparedQueryRule("", "read")], p.PreparedQueryPrefixes);
        Assert.Equal("read", p.Keyring);
        Assert.Equal("read", p.Operator);
        Assert.Equal("write", p.Mesh);
        Assert.Equal("deny", p.Peering);
    }

    [Fact]
    public void Empty_rules_give_an_empty_policy()
    {
        var p = PolicyParser.Parse("");
        Assert.Empty(p.Keys);
        Assert.Equal("", p.Acl);
    }

    [Fact]
    public void Several_blocks_of_one_kind_and_assignment_form()
    {
        var p = PolicyParser.Parse("""
            key_prefix "a/" { policy = "read" }
            key_prefix "b/" { policy = "write" }
            key_prefix = { "c/" = { policy = "deny" } }
            """);
        Assert.Equal([new KeyRule("a/", "read"), new KeyRule("b/", "write"), new KeyRule("c/", "deny")], p.KeyPrefixes);
    }

    [Fact]
    public void Json_array_form_is_accepted()
    {
        var p = PolicyParser.Parse("""{ "key": [ { "a": { "policy": "read" } }, { "b": { "policy": "write" } } ] }""");
        Assert.Equal([new KeyRule("a", "read"), new KeyRule("b", "write")], p.Keys);
    }

    [Fact]
    public void String_escapes_in_labels()
    {
        var p = PolicyParser.Parse("key \"a\\\"b\\\\c\" { policy = \"read\" }");
        Assert.Equal("a\"b\\c", Assert.Single(p.Keys).Prefix);
    }

    [Fact]
    public void Unknown_keys_are_ignored_like_hcl_v1()
    {
        var p = PolicyParser.Parse("""
            something_else = "x"
            key "k" {
              policy = "read"
              sentinel { code = "x" }
            }
            """);
        Assert.Equal([new KeyRule("k", "read")], p.Keys);
    }

    [Fact]
    public void Policy_values_are_case_insensitive()
    {
        var p = PolicyParser.Parse("""key "k" { policy = "WRITE" }""");
        Assert.Equal(AccessLevel.Write, AccessLevels.Parse(Assert.Single(p.Keys).Policy));
    }

    [Theory]
    [InlineData("""acl = "nope" """, "Invalid acl policy: \"nope\"")]
    [InlineData("""agent "foo" { policy = "nope" }""", "Invalid agent policy: &acl.AgentRule{Node:\"foo\", Policy:\"nope\"}")]
    [InlineData("""agent_prefix "foo" { policy = "nope" }""", "Invalid agent_prefix policy: &acl.AgentRule{Node:\"foo\", Policy:\"nope\"}")]
    [InlineData("""key "foo" { policy = "nope" }""", "Invalid key policy: &acl.KeyRule{Prefix:\"foo\", Policy:\"nope\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""key_prefix "foo" { policy = "nope" }""", "Invalid key_prefix policy: &acl.KeyRule{Prefix:\"foo\", Policy:\"nope\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""node "foo" { policy = "list" }""", "Invalid node policy: &acl.NodeRule{Name:\"foo\", Policy:\"list\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""node_prefix "foo" { policy = "nope" }""", "Invalid node_prefix policy: &acl.NodeRule{Name:\"foo\", Policy:\"nope\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""service "foo" { policy = "nope" }""", "Invalid service policy: &acl.ServiceRule{Name:\"foo\", Policy:\"nope\", Intentions:\"\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""service "foo" { policy = "read" intentions = "nope" }""", "Invalid service intentions policy: &acl.ServiceRule{Name:\"foo\", Policy:\"read\", Intentions:\"nope\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""service_prefix "foo" { policy = "nope" }""", "Invalid service_prefix policy: &acl.ServiceRule{Name:\"foo\", Policy:\"nope\", Intentions:\"\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""service_prefix "foo" { policy = "read" intentions = "list" }""", "Invalid service_prefix intentions policy: &acl.ServiceRule{Name:\"foo\", Policy:\"read\", Intentions:\"list\", EnterpriseRule:acl.EnterpriseRule{}}")]
    [InlineData("""session "foo" { policy = "nope" }""", "Invalid session policy: &acl.SessionRule{Node:\"foo\", Policy:\"nope\"}")]
    [InlineData("""session_prefix "foo" { policy = "nope" }""", "Invalid session_prefix policy: &acl.SessionRule{Node:\"foo\", Policy:\"nope\"}")]
    [InlineData("""event "foo" { policy = "nope" }""", "Invalid event policy: &acl.EventRule{Event:\"foo\", Policy:\"nope\"}")]
    [InlineData("""event_prefix "foo" { policy = "nope" }""", "Invalid event_prefix policy: &acl.EventRule{Event:\"foo\", Policy:\"nope\"}")]
    [InlineData("""query "foo" { policy = "nope" }""", "Invalid query policy: &acl.PreparedQueryRule{Prefix:\"foo\", Policy:\"nope\"}")]
    [InlineData("""query_prefix "foo" { policy = "nope" }""", "Invalid query_prefix policy: &acl.PreparedQueryRule{Prefix:\"foo\", Policy:\"nope\"}")]
    [InlineData("""keyring = "nope" """, "Invalid keyring policy: \"nope\"")]
    [InlineData("""operator = "list" """, "Invalid operator policy: \"list\"")]
    [InlineData("""mesh = "nope" """, "Invalid mesh policy: \"nope\"")]
    [InlineData("""peering = "nope" """, "Invalid peering policy: \"nope\"")]
    [InlineData("""{ "keyring": "nope" }""", "Invalid keyring policy: \"nope\"")]
    [InlineData("""{ "key_prefix": { "foo": { "policy": "nope" } } }""", "Invalid key_prefix policy: &acl.KeyRule{Prefix:\"foo\", Policy:\"nope\", EnterpriseRule:acl.EnterpriseRule{}}")]
    public void Bad_policy_values_give_consuls_message(string rules, string message)
    {
        var ex = Assert.Throws<AclPolicyParseException>(() => PolicyParser.Parse(rules));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Missing_policy_in_a_block_is_invalid()
    {
        var ex = Assert.Throws<AclPolicyParseException>(() => PolicyParser.Parse("""key "foo" { }"""));
        Assert.Equal("Invalid key policy: &acl.KeyRule{Prefix:\"foo\", Policy:\"\", EnterpriseRule:acl.EnterpriseRule{}}", ex.Message);
    }

    [Theory]
    [InlineData("key \"foo\" { policy = \"read\" ", "At 1:29: ")]
    [InlineData("key \"foo\" policy", "At 1:")]
    [InlineData("key \"foo { policy = \"read\" }", "At 1:26: literal not terminated")] // the label closes at `= "`; the final `"` never does
    [InlineData("operator = \n", "At ")]
    [InlineData("operator = read", "At 1:12: ")]
    [InlineData("/* never closed", "At 1:1: comment not terminated")]
    [InlineData("key \"x\" { policy = [\"read\"] }", "At ")]
    [InlineData("key = \"x\"", "At ")]
    [InlineData("{ \"key\": ", "At ")]
    [InlineData("{ \"operator\": { \"a\": 1 } }", "At ")]
    public void Syntax_errors_say_failed_to_parse(string rules, string positionPrefix)
    {
        var ex = Assert.Throws<AclPolicyParseException>(() => PolicyParser.Parse(rules));
        Assert.StartsWith("Failed to parse ACL rules: " + positionPrefix, ex.Message);
    }

    [Fact]
    public void TryParse_reports_the_error_without_throwing()
    {
        Assert.False(PolicyParser.TryParse("""acl = "bad" """, out var policy, out var error));
        Assert.Null(policy);
        Assert.Equal("Invalid acl policy: \"bad\"", error);
        Assert.True(PolicyParser.TryParse("""acl = "read" """, out policy, out error));
        Assert.Equal("read", policy!.Acl);
        Assert.Null(error);
    }

    [Fact]
    public void Builtin_policies_and_templates_parse()
    {
        var mgmt = PolicyParser.Parse(AclBuiltins.GlobalManagementPolicyRules);
        Assert.Equal("write", mgmt.Acl);
        Assert.Equal([new ServiceRule("", "write", "write")], mgmt.ServicePrefixes);
        var ro = PolicyParser.Parse(AclBuiltins.GlobalReadOnlyPolicyRules);
        Assert.Equal("read", ro.Operator);
        var svc = PolicyParser.Parse(new AclServiceIdentity { ServiceName = "web" }.SyntheticPolicy().Rules);
        Assert.Equal([new ServiceRule("web", "write"), new ServiceRule("web-sidecar-proxy", "write")], svc.Services);
    }
}
