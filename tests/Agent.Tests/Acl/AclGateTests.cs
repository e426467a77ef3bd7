using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Acl;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Rpc;
using Consul.Core.State;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Acl;

/// <summary>
/// acl.down_policy on <see cref="AclGate"/>: while <see cref="AclGate.ServersReachable"/> says no
/// (a client whose replica went stale), "allow" permits all, "deny" denies all but the agent
/// recovery token, and "extend-cache"/"async-cache" keep resolving from the last known tables,
/// giving tokens they do not know the default policy (Consul's down authorizer).
/// </summary>
public class AclGateTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly StateStore _store = new();
    private readonly StateMachine _fsm;
    private ulong _index;
    private bool _reachable = true;

    public AclGateTests()
    {
        _fsm = new StateMachine(_store, new EventStream());
        Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = AclBuiltins.AnonymousToken(Now) });
        Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = "p-kv", Name = "kv", Rules = """key_prefix "" { policy = "read" }""" }.WithHash() });
        Apply(new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new AclToken { AccessorID = "acc-kv", SecretID = "kv-secret", CreateTime = Now, Policies = [new AclTokenPolicyLink { ID = "p-kv" }] }.WithHash(),
        });
    }

    private void Apply(StateCommand command)
    {
        var result = _fsm.Apply(++_index, command);
        Assert.True(result.Ok, result.Error);
    }

    private AclGate Gate(string downPolicy, string defaultPolicy = "deny")
    {
        var config = new AgentConfig
        {
            NodeName = "node1",
            Acl = new AclConfig
            {
                Enabled = true,
                DefaultPolicy = defaultPolicy,
                DownPolicy = downPolicy,
                Tokens = new AclTokensConfig { AgentRecovery = "recovery-secret" },
            },
        };
        return new AclGate(config, _store, _time, new AgentTokens(config.Acl.Tokens)) { ServersReachable = () => _reachable };
    }

    private static void AssertNotFound(Action resolve)
    {
        var e = Assert.Throws<ApiException>(resolve);
        Assert.Equal(403, e.Status);
        Assert.Equal("ACL not found", e.Message);
    }

    [Theory]
    [InlineData("allow")]
    [InlineData("deny")]
    [InlineData("extend-cache")]
    [InlineData("async-cache")]
    public void Reachable_TokensResolveFromTheTables_WhateverTheDownPolicy(string downPolicy)
    {
        var gate = Gate(downPolicy);
        Assert.True(gate.Resolve("kv-secret").KeyRead("a"));
        Assert.False(gate.Resolve("kv-secret").KeyWrite("a"));
        Assert.False(gate.Resolve("").KeyRead("a"));
        AssertNotFound(() => gate.Resolve("unknown-secret"));
    }

    [Fact]
    public void DownAllow_PermitsEverythingButManagement()
    {
        var gate = Gate("allow");
        _reachable = false;
        foreach (var secret in new[] { "", "kv-secret", "unknown-secret" })
        {
            var authz = gate.Resolve(secret);
            Assert.True(authz.KeyWrite("a"));
            Assert.True(authz.ServiceWrite("web"));
            Assert.False(authz.ACLWrite());
        }
        _reachable = true;
        Assert.False(gate.Resolve("kv-secret").KeyWrite("a"));
    }

    [Fact]
    public void DownDeny_DeniesEverythingButTheAgentRecoveryToken()
    {
        var gate = Gate("deny", defaultPolicy: "allow");
        _reachable = false;
        Assert.False(gate.Resolve("kv-secret").KeyRead("a"));
        Assert.False(gate.Resolve("").KeyRead("a"));
        Assert.False(gate.Resolve("unknown-secret").NodeRead("node1"));
        Assert.False(gate.ForDns().ServiceRead("web"));
        var recovery = gate.Resolve("recovery-secret");
        Assert.True(recovery.AgentWrite("node1"));
        Assert.True(recovery.NodeRead("other"));
        _reachable = true;
        Assert.True(gate.Resolve("kv-secret").KeyRead("a"));
    }

    [Theory]
    [InlineData("extend-cache")]
    [InlineData("async-cache")]
    public void DownCache_KeepsKnownTokens_AndGivesUnknownOnesTheDefaultPolicy(string downPolicy)
    {
        var deny = Gate(downPolicy);
        var allow = Gate(downPolicy, defaultPolicy: "allow");
        _reachable = false;
        Assert.True(deny.Resolve("kv-secret").KeyRead("a"));
        Assert.False(deny.Resolve("kv-secret").KeyWrite("a"));
        Assert.False(deny.Resolve("unknown-secret").KeyRead("a"));
        Assert.True(allow.Resolve("unknown-secret").KeyWrite("a"));
        Assert.False(allow.Resolve("unknown-secret").ACLRead());
        _reachable = true;
        AssertNotFound(() => deny.Resolve("unknown-secret"));
    }

    [Fact]
    public void ReplicaThatNeverHeardFromAServer_IsNotCurrent()
    {
        var replica = new StateReplica(_fsm, new AppliedIndex(), new ServerRpcClient(), () => [], _time, NullLogger.Instance);
        Assert.False(replica.IsCurrent);
    }
}
