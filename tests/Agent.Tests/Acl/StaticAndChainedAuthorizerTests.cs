using Consul.Core.Acl;

namespace Consul.Tests.Acl;

public class StaticAndChainedAuthorizerTests
{
    [Fact]
    public void Allow_all_allows_everything_but_acl_management()
    {
        var a = StaticAuthorizer.AllowAll;
        Assert.Equal(EnforcementDecision.Allow, a.KeyWrite("x"));
        Assert.Equal(EnforcementDecision.Allow, a.OperatorWrite());
        Assert.Equal(EnforcementDecision.Deny, a.ACLRead());
        Assert.Equal(EnforcementDecision.Deny, a.ACLWrite());
        Assert.Equal(EnforcementDecision.Deny, a.Snapshot());
    }

    [Fact]
    public void Deny_all_and_manage_all()
    {
        Assert.Equal(EnforcementDecision.Deny, StaticAuthorizer.DenyAll.ServiceRead("web"));
        Assert.Equal(EnforcementDecision.Deny, StaticAuthorizer.DenyAll.ACLRead());
        Assert.Equal(EnforcementDecision.Allow, StaticAuthorizer.ManageAll.ACLWrite());
        Assert.Equal(EnforcementDecision.Allow, StaticAuthorizer.ManageAll.KeyWritePrefix(""));
    }

    [Theory]
    [InlineData("allow", true)]
    [InlineData("deny", true)]
    [InlineData("manage", true)]
    [InlineData("root", false)]
    [InlineData("", false)]
    public void Root_authorizer_names(string id, bool isRoot) =>
        Assert.Equal(isRoot, StaticAuthorizer.RootAuthorizer(id) is not null);

    [Fact]
    public void Chain_returns_first_decision_then_default_policy()
    {
        var policy = new PolicyAuthorizer(PolicyParser.Parse("""
            key_prefix "app/" { policy = "write" }
            key "secret" { policy = "deny" }
            """));
        var allowChain = new ChainedAuthorizer([policy, StaticAuthorizer.AllowAll]);
        var denyChain = new ChainedAuthorizer([policy, StaticAuthorizer.DenyAll]);

        Assert.Equal(EnforcementDecision.Allow, denyChain.KeyWrite("app/x"));
        Assert.Equal(EnforcementDecision.Deny, allowChain.KeyRead("secret"));
        Assert.Equal(EnforcementDecision.Allow, allowChain.NodeRead("n1"));
        Assert.Equal(EnforcementDecision.Deny, denyChain.NodeRead("n1"));
        Assert.Equal(EnforcementDecision.Deny, allowChain.ACLRead());
        Assert.Equal(EnforcementDecision.Default, new ChainedAuthorizer([policy]).NodeRead("n1"));
    }

    [Fact]
    public void Top_level_authorizer_treats_default_as_denied()
    {
        var chain = new ChainedAuthorizer([new PolicyAuthorizer(PolicyParser.Parse("""key "a" { policy = "read" }"""))]);
        var authz = new Authorizer(chain, "acc-1");
        Assert.True(authz.KeyRead("a"));
        Assert.False(authz.KeyWrite("a"));
        Assert.False(authz.KeyRead("b"));
        Assert.Null(authz.KeyReadAllowed("a"));
        Assert.NotNull(authz.KeyReadAllowed("b"));
    }

    [Fact]
    public void Permission_denied_text_matches_consul()
    {
        var authz = new Authorizer(StaticAuthorizer.DenyAll, "d4f3a5c0-1111-2222-3333-444455556666");
        var err = authz.KeyWriteAllowed("foo");
        Assert.NotNull(err);
        Assert.Equal("Permission denied: token with AccessorID 'd4f3a5c0-1111-2222-3333-444455556666' lacks permission 'key:write' on \"foo\"", err!.Message);
        Assert.Equal("Permission denied: token with AccessorID 'd4f3a5c0-1111-2222-3333-444455556666' lacks permission 'operator:read'",
            authz.OperatorReadAllowed()!.Message);
        Assert.Equal("Permission denied: token with AccessorID 'd4f3a5c0-1111-2222-3333-444455556666' lacks permission 'key:list' on \"app/\"",
            authz.KeyListAllowed("app/")!.Message);
        Assert.Equal("Permission denied: token with AccessorID 'd4f3a5c0-1111-2222-3333-444455556666' lacks permission 'query:write' on \"q\"",
            authz.PreparedQueryWriteAllowed("q")!.Message);
        Assert.True(AclErrors.IsPermissionDenied(err.Message));
        // The name is quoted as is, without Go escaping.
        Assert.EndsWith("lacks permission 'key:read' on \"a\"b\"", authz.KeyReadAllowed("a\"b")!.Message);
    }

    [Fact]
    public void Permission_denied_text_for_the_anonymous_token()
    {
        var authz = new Authorizer(StaticAuthorizer.DenyAll, AclBuiltins.AnonymousTokenId);
        Assert.Equal(
            "Permission denied: anonymous token lacks permission 'service:read' on \"web\". The anonymous token is used implicitly when a request does not specify a token.",
            authz.ServiceReadAllowed("web")!.Message);
    }

    [Fact]
    public void Permission_denied_with_a_cause_and_require()
    {
        Assert.Equal("Permission denied: token is expired", new PermissionDeniedException("token is expired").Message);
        var authz = new Authorizer(StaticAuthorizer.DenyAll, "a");
        var ex = Assert.Throws<PermissionDeniedException>(() => Authorizer.Require(authz.NodeWriteAllowed("n")));
        Assert.Equal("node", ex.Resource);
        Assert.Equal(AccessLevel.Write, ex.AccessLevel);
        Authorizer.Require(new Authorizer(StaticAuthorizer.AllowAll, "a").NodeWriteAllowed("n"));
    }
}
