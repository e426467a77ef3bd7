using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Tests.Dns;

/// <summary>A catalog populated through the state machine, as the agent would see it.</summary>
internal sealed class DnsCatalog
{
    private readonly StateMachine _fsm;
    private ulong _index;

    public DnsCatalog()
    {
        Store = new StateStore();
        _fsm = new StateMachine(Store, new EventStream());
    }

    public StateStore Store { get; }

    public DnsCatalog Node(string name, string address, Dictionary<string, string>? meta = null, Dictionary<string, string>? tagged = null)
    {
        Apply(new RegisterCommand { Node = name, Address = address, Datacenter = "dc1", NodeMeta = meta, TaggedAddresses = tagged });
        return this;
    }

    public DnsCatalog Service(string node, string address, NodeService service, params (string Id, string Status)[] checks)
    {
        Apply(new RegisterCommand
        {
            Node = node,
            Address = address,
            Datacenter = "dc1",
            SkipNodeUpdate = true,
            Service = service,
            Checks = checks.Select(c => new HealthCheck { Node = node, CheckID = c.Id, Name = c.Id, Status = c.Status, ServiceID = service.ID }).ToList(),
        });
        return this;
    }

    public DnsCatalog NodeCheck(string node, string id, string status)
    {
        Apply(new RegisterCommand { Node = node, SkipNodeUpdate = true, Check = new HealthCheck { Node = node, CheckID = id, Name = id, Status = status } });
        return this;
    }

    /// <summary>Applies any state command (e.g. ACL writes) at the next index.</summary>
    public void Apply(StateCommand command)
    {
        var result = _fsm.Apply(++_index, command);
        if (!result.Ok) throw new InvalidOperationException(result.Error);
    }

    /// <summary>
    /// web: node1 (passing, node address), node2 (warning, own address 10.1.0.2), node3 (critical).
    /// api on an IPv6 node; ext: a service on a node whose address is a host name; consul on node1;
    /// db: 20 passing instances; node1 carries meta.
    /// </summary>
    public static DnsCatalog Standard()
    {
        var c = new DnsCatalog()
            .Node("node1", "10.0.0.1", new() { ["rack"] = "r1", ["rfc1035-raw"] = "v=spf1 -all" })
            .Node("node2", "10.0.0.2")
            .Node("node3", "10.0.0.3")
            .Node("node6", "fd00::6")
            .Node("ext", "example.org");
        c.Service("node1", "10.0.0.1", new NodeService { ID = "web1", Service = "web", Port = 8080, Tags = ["primary", "v1"], Weights = new Weights { Passing = 10, Warning = 2 } }, ("web1-check", HealthStatus.Passing));
        c.Service("node2", "10.0.0.2", new NodeService { ID = "web2", Service = "web", Port = 8081, Address = "10.1.0.2", Tags = ["v1"], Weights = new Weights { Passing = 10, Warning = 2 } }, ("web2-check", HealthStatus.Warning));
        c.Service("node3", "10.0.0.3", new NodeService { ID = "web3", Service = "web", Port = 8082 }, ("web3-check", HealthStatus.Critical));
        c.Service("node6", "fd00::6", new NodeService { ID = "api", Service = "api", Port = 9000 });
        c.Service("ext", "example.org", new NodeService { ID = "ext", Service = "ext", Port = 443 });
        c.Service("node1", "10.0.0.1", new NodeService { ID = "consul", Service = "consul", Port = 8300 });
        for (var i = 0; i < 20; i++)
        {
            var node = $"db-{i}";
            c.Node(node, $"10.2.0.{i + 1}");
            c.Service(node, $"10.2.0.{i + 1}", new NodeService { ID = "db", Service = "db", Port = 5432 });
        }
        return c;
    }
}
