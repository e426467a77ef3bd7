using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.State;

/// <summary>A state machine with a log index counter and a fake clock, for state-level tests.</summary>
public sealed class StateFixture
{
    private ulong _index;

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    public StateStore Store { get; } = new();
    public EventStream Events { get; }
    public StateMachine Fsm { get; }

    public StateFixture()
    {
        Events = new EventStream(Time);
        Fsm = new StateMachine(Store, Events, Time);
    }

    public StateSnapshot Snap => Store.Current;

    public ApplyResult Apply(StateCommand command) => Fsm.Apply(++_index, CommandCodec.Encode(command));

    public void Node(string name, string address = "10.0.0.1") =>
        Ok(Apply(new RegisterCommand
        {
            Node = name, Address = address, Datacenter = "dc1",
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Passing },
        }));

    public string Session(string node, string behavior = SessionBehavior.Release, long lockDelayNs = 15_000_000_000, List<string>? checks = null)
    {
        var id = Guid.NewGuid().ToString();
        Ok(Apply(new SessionCommand
        {
            Session = new Session { ID = id, Node = node, Behavior = behavior, LockDelay = lockDelayNs, NodeChecks = checks ?? ["serfHealth"] },
        }));
        return id;
    }

    public static ApplyResult Ok(ApplyResult r)
    {
        Assert.True(r.Ok, r.Error);
        return r;
    }

    public static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s);
}
