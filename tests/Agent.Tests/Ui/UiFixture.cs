using System.Text;
using Consul.Core.Acl;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Tests.Ui;

/// <summary>
/// The read models the UI needs, filled through the real state machine so pages see exactly
/// what the agent would give them. Writes go through an in-memory command log.
/// </summary>
public sealed class UiFixture
{
    public StateStore Store { get; } = new();
    public EventStream Events { get; }
    public StateMachine Fsm { get; }
    public InMemoryCommandLog Log { get; }
    public FakeClusterView Cluster { get; } = FakeClusterView.ThreeServers();
    public LocalState Local { get; }

    public UiFixture(TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        Events = new EventStream(clock);
        Fsm = new StateMachine(Store, Events);
        Log = new InMemoryCommandLog(Fsm, "127.0.0.2:8300");
        Local = new LocalState(new AgentIdentity { NodeName = "node1", NodeId = "id-1", Datacenter = "dc1", Address = "127.0.0.2" }, clock);
    }

    /// <summary>A write by "someone else": through the same log the UI writes to, so indexes agree.</summary>
    public ApplyResult Apply(StateCommand cmd) => Log.ApplyAsync(cmd).GetAwaiter().GetResult();

    public UiFixture Node(string name, string address, params HealthCheck[] checks)
    {
        Apply(new RegisterCommand
        {
            Node = name, Address = address, Datacenter = "dc1",
            TaggedAddresses = new() { ["lan"] = address, ["wan"] = address },
            NodeMeta = new() { ["rack"] = "r1" },
            Checks = [new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Passing, Output = "Agent alive and reachable" }, .. checks],
        });
        return this;
    }

    public UiFixture Service(string node, string id, string name, int port, string status, string[]? tags = null, string output = "")
    {
        Apply(new RegisterCommand
        {
            Node = node, Address = Store.Current.Nodes.TryGetValue(node, out var n) ? n.Address : "127.0.0.9", SkipNodeUpdate = true,
            Service = new NodeService { ID = id, Service = name, Port = port, Tags = [.. tags ?? []], Meta = new() { ["version"] = "1.2" } },
            Check = new HealthCheck { CheckID = $"service:{id}", Name = $"Service '{name}' check", Status = status, ServiceID = id, Output = output },
        });
        return this;
    }

    public UiFixture Key(string key, string value)
    {
        Apply(new KVCommand { Verb = KVOps.Set, Key = key, Value = Encoding.UTF8.GetBytes(value) });
        return this;
    }

    /// <summary>The builtin policies and the anonymous token, as a leader writes them when ACLs start.</summary>
    public UiFixture WithAcls()
    {
        foreach (var p in AclBuiltins.BuiltinPolicies) Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = p.WithHash() });
        Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = AclBuiltins.AnonymousToken(DateTimeOffset.UtcNow).WithHash() });
        return this;
    }

    public UiFixture Policy(string id, string name, string rules)
    {
        var r = Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = id, Name = name, Rules = rules }.WithHash() });
        Assert.True(r.Ok, r.Error);
        return this;
    }

    public UiFixture Token(string accessor, string secret, string description, params string[] policyIds)
    {
        var token = new AclToken
        {
            AccessorID = accessor,
            SecretID = secret,
            Description = description,
            Policies = policyIds.Select(id => new AclTokenPolicyLink { ID = id }).ToList(),
            CreateTime = DateTimeOffset.UtcNow,
        };
        var r = Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = token.WithHash() });
        Assert.True(r.Ok, r.Error);
        return this;
    }

    /// <summary>A small cluster: three nodes, web (2 instances, one critical), db, redis; a few keys.</summary>
    public static UiFixture Sample(TimeProvider? time = null) => new UiFixture(time)
        .Node("node1", "127.0.0.2").Node("node2", "127.0.0.3").Node("node3", "127.0.0.4")
        .Service("node1", "web-1", "web", 8080, HealthStatus.Passing, ["v1", "primary"], "HTTP GET http://127.0.0.2:8080/health: 200 OK")
        .Service("node2", "web-2", "web", 8080, HealthStatus.Critical, ["v1"], "connection refused")
        .Service("node2", "db-1", "db", 5432, HealthStatus.Passing, ["primary"])
        .Service("node3", "redis-1", "redis", 6379, HealthStatus.Warning, ["cache"], "memory high")
        .Key("app/config", "{\"debug\":true}")
        .Key("app/name", "demo")
        .Key("app/feature/flag", "on")
        .Key("top", "level");
}
