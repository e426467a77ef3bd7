using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Core.Acl;

namespace Consul.Tests.Ui;

/// <summary>
/// ACL setups for UI tests: the agent's real <see cref="UiTokenChecker"/> over an <see cref="AclGate"/>
/// reading the fixture's state, with default_policy deny, and two tokens:
/// <list type="bullet">
/// <item>"limited-secret": service_prefix "web" read, key_prefix "app/" read, node_prefix "" read (Consul needs
/// node:read too before a service instance is shown).</item>
/// <item>"root-secret": global-management.</item>
/// </list>
/// </summary>
public static class UiAcls
{
    public const string LimitedSecret = "limited-secret";
    public const string LimitedAccessor = "11111111-2222-3333-4444-555555555555";
    public const string RootSecret = "root-secret";
    public const string RootAccessor = "99999999-2222-3333-4444-555555555555";
    public const string NodeOneSecret = "node1-secret";

    public const string LimitedRules = """
        service_prefix "web" { policy = "read" }
        key_prefix "app/" { policy = "read" }
        node_prefix "" { policy = "read" }
        """;

    public static UiFixture Limited(TimeProvider? time = null) => UiFixture.Sample(time).WithAcls()
        .Policy("p-limited", "web-and-app-readers", LimitedRules)
        .Token(LimitedAccessor, LimitedSecret, "web and app/ readers", "p-limited")
        .Policy("p-node1", "node1-only", """
            node "node1" { policy = "read" }
            service_prefix "" { policy = "read" }
            """)
        .Token("22222222-2222-3333-4444-555555555555", NodeOneSecret, "node1 only", "p-node1")
        .Token(RootAccessor, RootSecret, "root", AclBuiltins.GlobalManagementPolicy.ID);

    public static UiTokenChecker Checker(UiFixture fixture, string defaultPolicy = "deny")
    {
        var config = new AgentConfig
        {
            NodeName = "node1",
            Datacenter = "dc1",
            Acl = new AclConfig { Enabled = true, DefaultPolicy = defaultPolicy },
        };
        return new UiTokenChecker(new AclGate(config, fixture.Store, TimeProvider.System, new AgentTokens(config.Acl.Tokens)), fixture.Store);
    }
}
